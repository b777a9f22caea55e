package dev.herald.core.memory;

import dev.herald.core.store.PendingContract;
import dev.herald.core.store.Storage;

class MemoryPendingTest extends PendingContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
