package dev.herald.core.memory;

import dev.herald.core.store.OutboxStoreContract;
import dev.herald.core.store.Storage;

class MemoryOutboxStoreTest extends OutboxStoreContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
