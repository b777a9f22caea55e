package dev.herald.core.memory;

import dev.herald.core.store.DeliveryLogContract;
import dev.herald.core.store.Storage;

class MemoryDeliveryLogTest extends DeliveryLogContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
