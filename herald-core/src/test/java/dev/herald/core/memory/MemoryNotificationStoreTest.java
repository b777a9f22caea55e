package dev.herald.core.memory;

import dev.herald.core.inbox.InboxStore;
import dev.herald.core.inbox.NotificationStoreContract;

class MemoryNotificationStoreTest extends NotificationStoreContract {
    @Override
    protected InboxStore newStore() {
        return new MemoryNotificationStore();
    }
}
