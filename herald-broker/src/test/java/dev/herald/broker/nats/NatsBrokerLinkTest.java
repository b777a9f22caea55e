package dev.herald.broker.nats;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerLinkContract;
import io.nats.client.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The link contract against a private nats-server that each test kills and starts again. */
class NatsBrokerLinkTest extends BrokerLinkContract {
    private NatsServerProcess server;
    private Connection connection;

    @BeforeEach
    void startServer() throws Exception {
        server = NatsServerProcess.start();
        connection = NatsConfig.fromUrl(server.url()).withReconnect(Duration.ofMillis(50), Duration.ofMillis(50)).connect();
    }

    @AfterEach
    void stopServer() throws Exception {
        connection.close();
        server.close();
    }

    @Override
    protected Broker newNode() {
        return new NatsBroker(connection);
    }

    @Override
    protected void breakLink(Broker node) throws Exception {
        server.kill();
    }

    @Override
    protected void restoreLink(Broker node) throws Exception {
        server.launch();
    }
}
