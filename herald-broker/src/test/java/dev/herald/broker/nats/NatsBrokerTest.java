package dev.herald.broker.nats;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerContract;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * The broker contract against the real NATS server; every node has its own connection, and each
 * test instance its own subject prefix so parallel runs never hear each other.
 */
class NatsBrokerTest extends BrokerContract {
    private final String prefix = "herald-test." + UUID.randomUUID().toString().substring(0, 12) + ".room.";
    private final List<Connection> connections = new ArrayList<>();

    static NatsConfig config() {
        String url = System.getenv("NATS_URL");
        return NatsConfig.fromUrl(url == null || url.isBlank() ? "nats://127.0.0.1:4222" : url);
    }

    @Override
    protected Broker newNode() {
        Connection c = config().connect();
        connections.add(c);
        return new NatsBroker(c, prefix);
    }

    /** A flush is a PING answered after the server processed every SUB/UNSUB sent before it. */
    @Override
    protected void awaitSubscriptions() {
        for (Connection c : connections) {
            try {
                c.flush(Duration.ofSeconds(5));
            } catch (TimeoutException | InterruptedException e) {
                throw new AssertionError("NATS did not answer the flush", e);
            }
        }
    }

    @AfterEach
    void closeConnections() throws InterruptedException {
        for (Connection c : connections) c.close();
    }
}
