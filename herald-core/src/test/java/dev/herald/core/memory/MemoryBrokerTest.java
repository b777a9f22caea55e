package dev.herald.core.memory;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerContract;

class MemoryBrokerTest extends BrokerContract {
    private final MemoryBroker.Bus bus = new MemoryBroker.Bus();

    @Override
    protected Broker newNode() {
        return new MemoryBroker(bus);
    }
}
