package dev.herald.core.memory;

import dev.herald.core.store.PreferenceStoreContract;
import dev.herald.core.store.Storage;

class MemoryPreferenceStoreTest extends PreferenceStoreContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
