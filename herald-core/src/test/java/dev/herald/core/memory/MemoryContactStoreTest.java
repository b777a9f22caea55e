package dev.herald.core.memory;

import dev.herald.core.store.ContactStoreContract;
import dev.herald.core.store.Storage;

class MemoryContactStoreTest extends ContactStoreContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
