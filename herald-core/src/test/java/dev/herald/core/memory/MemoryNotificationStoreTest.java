package dev.herald.core.memory;

import dev.herald.core.store.InboxStore;
import dev.herald.core.store.NotificationStoreContract;

class MemoryNotificationStoreTest extends NotificationStoreContract {
    @Override
    protected InboxStore newStore() {
        return new MemoryNotificationStore();
    }
}
