package dev.herald.core.memory;

import dev.herald.core.store.OutboxAdminContract;
import dev.herald.core.store.Storage;

class MemoryOutboxAdminTest extends OutboxAdminContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
