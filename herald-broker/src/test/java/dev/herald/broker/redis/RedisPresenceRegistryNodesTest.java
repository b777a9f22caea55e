package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.PresenceStatus;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several nodes sharing one registry: what happens to the entries of a node that stops beating. */
class RedisPresenceRegistryNodesTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static TestRedis.Clients redis;

    private final String prefix = TestRedis.uniquePrefix();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RedisPresenceRegistry nodeA = new RedisPresenceRegistry(redis.connector(), prefix, "node-a", clock, TTL);
    private final RedisPresenceRegistry nodeB = new RedisPresenceRegistry(redis.connector(), prefix, "node-b", clock, TTL);

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @AfterEach
    void cleanUp() {
        nodeA.close();
        nodeB.close();
        TestRedis.deleteKeys(redis.admin(), prefix);
    }

    private static ConnectionInfo conn(String socket, String user, String team, String node) {
        return new ConnectionInfo(socket, user, team, Transport.WEBSOCKET, node, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void forgetsTheConnectionsOfANodeWhoseHeartbeatIsTooOld() {
        nodeA.heartbeat();
        nodeB.heartbeat();
        nodeA.register(conn("a1", "alice", "t1", "node-a"));
        nodeA.register(conn("a2", "bob", "t1", "node-a"));
        nodeA.setStatus("alice", PresenceStatus.BUSY);
        nodeB.register(conn("b1", "alice", "t1", "node-b"));

        clock.advance(TTL.plusSeconds(1));
        nodeB.heartbeat();
        int purged = nodeB.purgeDeadNodes();

        assertThat(purged).isEqualTo(2);
        assertThat(nodeB.connectionsOf("alice")).extracting(ConnectionInfo::socketId).containsExactly("b1");
        assertThat(nodeB.connectionsOf("bob")).isEmpty();
        assertThat(nodeB.statusOf("bob")).isEqualTo(PresenceStatus.OFFLINE);
        assertThat(nodeB.stats(null).totalConnections()).isEqualTo(1);
        assertThat(nodeB.stats(null).connectionsByTeam()).isEqualTo(Map.of("t1", 1));
    }

    @Test
    void forgetsTheConnectionsOfANodeWhoseHeartbeatKeyExpired() {
        nodeA.register(conn("a1", "carol", null, "node-a"));

        int purged = nodeB.purgeDeadNodes();

        assertThat(purged).isEqualTo(1);
        assertThat(nodeB.connectionsOf("carol")).isEmpty();
        assertThat(nodeB.stats(null).totalConnections()).isZero();
    }

    @Test
    void keepsTheConnectionsOfANodeThatStillBeats() {
        nodeA.heartbeat();
        nodeA.register(conn("a1", "dave", "t2", "node-a"));

        clock.advance(TTL.dividedBy(2));
        int purged = nodeB.purgeDeadNodes();

        assertThat(purged).isZero();
        assertThat(nodeB.connectionsOf("dave")).hasSize(1);
    }

    @Test
    void aHeartbeatTellsWhenThePreviousOneHadLapsed() {
        assertThat(nodeA.heartbeat()).isFalse();
        assertThat(nodeA.heartbeat()).isFalse();

        redis.admin().sync().del(prefix + "presence:alive:node-a");

        assertThat(nodeA.heartbeat()).isTrue();
        assertThat(nodeA.heartbeat()).isFalse();
    }

    @Test
    void neverPurgesItsOwnNode() {
        nodeA.register(conn("a1", "erin", null, "node-a"));

        assertThat(nodeA.purgeDeadNodes()).isZero();
        assertThat(nodeA.connectionsOf("erin")).hasSize(1);
    }

    @Test
    void aClosedNodeIsPurgedAtTheNextSweep() {
        RedisPresenceRegistry nodeC = new RedisPresenceRegistry(redis.connector(), prefix, "node-c", clock, TTL);
        nodeC.heartbeat();
        nodeC.register(conn("c1", "fay", null, "node-c"));
        nodeC.close();

        assertThat(nodeA.purgeDeadNodes()).isEqualTo(1);
        assertThat(nodeA.connectionsOf("fay")).isEmpty();
    }

    @Test
    void keepsCountingAcrossARedisRestartThatForgotTheScripts() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
             RedisConnector own = RedisConnector.open(server.config().withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200)))) {
            RedisPresenceRegistry registry = new RedisPresenceRegistry(own, "herald:", "node-x", clock, TTL);
            assertThat(registry.register(conn("s1", "gil", null, "node-x"))).isEqualTo(1);

            server.kill();
            server.launch();

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> registry.register(conn("s2", "gil", null, "node-x")) == 1);
            registry.close();
        }
    }

    @Test
    void aDeadNodesRoomMembershipsGoAndItsUsersWithNoOtherConnectionAreAnnouncedOnce() throws Exception {
        RedisRoomDirectory roomsA = new RedisRoomDirectory(redis.connector(), prefix, "node-a");
        RedisRoomDirectory roomsB = new RedisRoomDirectory(redis.connector(), prefix, "node-b");
        try (roomsA; roomsB) {
            nodeA.heartbeat();
            nodeB.heartbeat();
            nodeA.register(conn("a1", "alice", "t1", "node-a"));
            nodeA.register(conn("a2", "bob", null, "node-a"));
            nodeB.register(conn("b1", "alice", "t1", "node-b"));
            nodeA.register(conn("a3", "carol", "t2", "node-a"));
            roomsA.joined("channel:x", "a1", "alice");
            roomsA.joined("channel:x", "a2", "bob");
            roomsB.joined("channel:x", "b1", "alice");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> roomsB.members("channel:x", java.util.Set.of()) == 3);
            java.util.List<String> departed = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                clock.advance(TTL.plusSeconds(1));
                // Started after the clock moved: node-b's first beat is fresh, node-a's is stale.
                nodeB.start(timer, () -> {}, (user, team) -> departed.add(user + "/" + team));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> departed.size() == 2);
            } finally {
                timer.shutdownNow();
            }
            assertThat(nodeB.purgeDeadNodes()).isZero();
            assertThat(departed).containsExactlyInAnyOrder("bob/null", "carol/t2");
            assertThat(roomsB.members("channel:x", java.util.Set.of())).isEqualTo(1);
            assertThat(nodeB.connectionsOf("alice")).extracting(ConnectionInfo::socketId).containsExactly("b1");
        }
    }
}
