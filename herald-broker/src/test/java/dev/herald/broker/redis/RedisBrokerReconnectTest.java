package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.route.RoomMessage;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour across a Redis crash, against a private redis-server this test starts and kills. */
class RedisBrokerReconnectTest {
    private RedisServerProcess server;
    private RedisConnector connector;
    private RedisClient plain;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = RedisServerProcess.start();
        connector = RedisConnector.open(server.config()
                .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200))
                .withCommandTimeout(Duration.ofSeconds(1)));
        plain = TestRedis.plainClient(server.config());
    }

    @AfterEach
    void stopServer() throws Exception {
        plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        connector.close();
        server.close();
    }

    private RedisBroker startedBroker() {
        RedisBroker broker = new RedisBroker(connector, "herald:");
        broker.start((room, message) -> received.add(room + "=" + ((RoomMessage.Emit) message).json()));
        return broker;
    }

    private void publishUntilReceived(StatefulRedisConnection<String, String> conn, String room, String json) {
        // The node may not have re-subscribed yet when Redis is back; pub/sub keeps no history, so retry.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            conn.sync().publish("herald:room:" + room, "E1:e0:" + json);
            return received.contains(room + "=" + json);
        });
    }

    @Test
    void resubscribesItsRoomsAfterRedisRestarts() throws Exception {
        try (RedisBroker broker = startedBroker()) {
            broker.subscribe("team:1");
            try (StatefulRedisConnection<String, String> conn = plain.connect()) {
                publishUntilReceived(conn, "team:1", "1");
            }

            server.kill();
            server.launch();

            try (StatefulRedisConnection<String, String> conn = plain.connect()) {
                publishUntilReceived(conn, "team:1", "2");
            }
        }
    }

    @Test
    void appliesSubscriptionChangesMadeWhileRedisWasDown() throws Exception {
        try (RedisBroker broker = startedBroker()) {
            broker.subscribe("room:old");
            try (StatefulRedisConnection<String, String> conn = plain.connect()) {
                publishUntilReceived(conn, "room:old", "1");
            }

            server.kill();
            broker.unsubscribe("room:old");
            broker.subscribe("room:new");
            server.launch();

            try (StatefulRedisConnection<String, String> conn = plain.connect()) {
                publishUntilReceived(conn, "room:new", "2");
                assertThat(conn.sync().pubsubNumsub("herald:room:old")).containsEntry("herald:room:old", 0L);
            }
            assertThat(broker.rooms()).isEqualTo(Set.of("room:new"));
        }
    }

    @Test
    void refusesPublicationsWhileItsSubscriptionConnectionIsAway() throws Exception {
        // Only the pub/sub connection is dropped, and it takes its time to come back: the publishing
        // connection still works, so Redis would take a PUBLISH and deliver it to nobody.
        try (RedisConnector slow = RedisConnector.open(server.config()
                .withReconnectDelays(Duration.ofSeconds(20), Duration.ofSeconds(30)).withCommandTimeout(Duration.ofSeconds(1)));
             RedisBroker broker = new RedisBroker(slow, "herald:");
             StatefulRedisConnection<String, String> conn = plain.connect()) {
            broker.start((room, message) -> received.add(room + "=" + ((RoomMessage.Emit) message).json()));
            broker.subscribe("user:8");
            publishUntilReceived(conn, "user:8", "1");

            conn.sync().clientKill(KillArgs.Builder.typePubsub());

            await().atMost(Duration.ofSeconds(10)).until(() -> broker.publish("user:8", new RoomMessage.Emit("e", "2", Set.of()))
                    .toCompletableFuture().handle((ok, error) -> error != null).join());
        }
    }

    @Test
    void keepsASubscriptionThatWasInFlightWhenRedisDied() throws Exception {
        try (RedisBroker broker = startedBroker()) {
            broker.subscribe("user:5");
            server.kill();
            server.launch();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                broker.publish("user:5", new RoomMessage.Emit("e", "\"back\"", Set.of())).toCompletableFuture().join();
                return received.contains("user:5=\"back\"");
            });
        }
    }
}
