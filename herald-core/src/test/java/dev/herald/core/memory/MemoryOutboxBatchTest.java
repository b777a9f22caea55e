package dev.herald.core.memory;

import dev.herald.core.store.OutboxBatchContract;
import dev.herald.core.store.Storage;

class MemoryOutboxBatchTest extends OutboxBatchContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
