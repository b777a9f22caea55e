package dev.herald.core.memory;

import dev.herald.core.store.Storage;
import dev.herald.core.store.TemplateStoreContract;

class MemoryTemplateStoreTest extends TemplateStoreContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
