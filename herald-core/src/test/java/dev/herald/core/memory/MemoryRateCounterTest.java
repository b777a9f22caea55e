package dev.herald.core.memory;

import dev.herald.core.store.RateCounterContract;
import dev.herald.core.store.Storage;

class MemoryRateCounterTest extends RateCounterContract {
    @Override
    protected Storage newStorage() {
        return new MemoryNotificationStore().storage();
    }
}
