package dev.herald.core.memory;

import dev.herald.core.store.NotificationStoreContract;
import dev.herald.core.store.Storage;

class MemoryNotificationStoreTest extends NotificationStoreContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
