package dev.herald.core.memory;

import dev.herald.core.store.NotificationBatchContract;
import dev.herald.core.store.Storage;

class MemoryNotificationBatchTest extends NotificationBatchContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
