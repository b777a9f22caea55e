package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing a private Redis; one is killed with SIGKILL, so it never says goodbye. The
 * survivor must drop the dead node's connections from the cluster-wide registry and turn its users
 * offline on its own.
 *
 * <p>How fast is not asserted (tests never time things); the time it took is printed. Today the
 * node heartbeat TTL is {@code RedisPresenceRegistry.DEFAULT_NODE_TTL} (30 s, no environment
 * variable), and dead nodes are swept every TTL, so it settles in 30–60 s against the cluster
 * issue's goal of 5 s; the wait below allows for that.
 */
class NodeKillTest {
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);

    @TempDir
    Path work;

    private final String run = "nk" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeLast.reversed()) c.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        closeLast.add(c);
        return c;
    }

    private static int count(HeraldProcess node, String user) throws Exception {
        return Rest.call(node, "GET", "/api/v1/realtime/users/" + user, null).path("connectionCount").asInt();
    }

    private static int total(HeraldProcess node) throws Exception {
        return Rest.call(node, "GET", "/api/v1/realtime/stats", null).path("totalConnections").asInt();
    }

    @Test
    void theSurvivorDropsAKilledNodesConnectionsAndItsUsersGoOffline() throws Exception {
        RedisServerProcess redis = keep(RedisServerProcess.start());
        Map<String, String> cluster = Map.of("REDIS_URL", redis.url());
        HeraldProcess a = keep(HeraldProcess.start("a", work, cluster));
        HeraldProcess b = keep(HeraldProcess.start("b", work, cluster));
        String both = run + "-both", onlyB = run + "-onlyb", team = run + "-team";
        List<WsClient> sockets = List.of(WsClient.connect(a, Tokens.user(both, team)), WsClient.connect(b, Tokens.user(both, team)),
                WsClient.connect(b, Tokens.user(both, team)), WsClient.connect(b, Tokens.user(onlyB, team)),
                WsClient.connect(b, Tokens.user(onlyB, team)));
        sockets.forEach(this::keep);
        for (WsClient s : sockets) s.next("connection_ready", Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> total(a) == 5);
        assertThat(count(a, both)).isEqualTo(3);
        assertThat(count(a, onlyB)).isEqualTo(2);

        long killedAt = System.nanoTime();
        b.kill9();
        await().atMost(SETTLE_BOUND).pollInterval(Duration.ofMillis(250))
                .until(() -> total(a) == 1 && count(a, both) == 1 && count(a, onlyB) == 0);
        long settledMs = (System.nanoTime() - killedAt) / 1_000_000;

        JsonNode offline = Rest.call(a, "GET", "/api/v1/realtime/users/" + onlyB, null);
        System.out.println("faults: node-kill9 nodes=2 sockets=5 on_killed_node=4 left=" + total(a) + " settled_ms=" + settledMs
                + " (goal 5000; node TTL 30 s, RedisPresenceRegistry.DEFAULT_NODE_TTL, not configurable)");
        assertThat(offline.path("isConnected").asBoolean()).as(offline.toString()).isFalse();
    }
}
