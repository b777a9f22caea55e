package dev.herald.core.memory;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerLinkContract;
import java.time.Instant;

class MemoryBrokerLinkTest extends BrokerLinkContract {
    @Override
    protected Broker newNode() {
        return new MemoryBroker();
    }

    @Override
    protected void breakLink(Broker node) {
        ((MemoryBroker) node).cutLink(Instant.now());
    }

    @Override
    protected void restoreLink(Broker node) {
        ((MemoryBroker) node).restoreLink();
    }
}
