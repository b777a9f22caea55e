package dev.herald.broker.redis;

import dev.herald.core.route.Broker;
import dev.herald.core.route.BrokerLinkContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The link contract against a private redis-server that each test kills and starts again (empty). */
class RedisBrokerLinkTest extends BrokerLinkContract {
    private RedisServerProcess server;
    private RedisConnector connector;

    @BeforeEach
    void startServer() throws Exception {
        server = RedisServerProcess.start();
        connector = RedisConnector.open(server.config()
                .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200))
                .withCommandTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stopServer() throws Exception {
        connector.close();
        server.close();
    }

    @Override
    protected Broker newNode() {
        return new RedisBroker(connector, "herald:");
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
