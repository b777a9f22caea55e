package dev.herald.core.memory;

import dev.herald.core.broker.Broker;
import dev.herald.core.broker.BrokerContract;

class MemoryBrokerTest extends BrokerContract {
    private final MemoryBroker.Bus bus = new MemoryBroker.Bus();

    @Override
    protected Broker newNode() {
        return new MemoryBroker(bus);
    }
}
