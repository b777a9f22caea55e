package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.ConnectionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry across a Redis that restarts empty, on a private redis-server this test kills and starts again. */
class RedisPresenceRegistryRestartTest {
    // A heartbeat every 20 minutes: whatever happens within the test happens without one.
    private static final Duration NODE_TTL = Duration.ofHours(1);

    private RedisServerProcess server;
    private RedisConnector connector;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startServer() throws Exception {
        server = RedisServerProcess.start();
        connector = RedisConnector.open(server.config()
                .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200))
                .withCommandTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stopServer() throws Exception {
        timer.shutdownNow();
        connector.close();
        server.close();
    }

    @Test
    void registersTheNodesSessionsAgainAsSoonAsAnEmptyRedisIsBackWithoutWaitingForAHeartbeat() throws Exception {
        ConnectionInfo socket = new ConnectionInfo("sock-1", "alice", "t1", Transport.WEBSOCKET, "node-a", Instant.now());
        try (RedisPresenceRegistry registry = new RedisPresenceRegistry(connector, "herald:", "node-a", Clock.systemUTC(), NODE_TTL)) {
            registry.start(timer, () -> registry.register(socket));
            registry.register(socket);

            server.kill();
            server.launch();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(registry.connectionsOf("alice")).extracting(ConnectionInfo::socketId).containsExactly("sock-1"));
        }
    }
}
