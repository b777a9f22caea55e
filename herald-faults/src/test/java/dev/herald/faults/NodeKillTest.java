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
 * Three nodes sharing a private Redis and one PostgreSQL schema; one is killed with SIGKILL, so it
 * never says goodbye. The survivors must drop the dead node's connections from the cluster-wide
 * registry on their own within the node TTL (CLUSTER_NODE_TTL_SECONDS, default 3 s: heartbeat and
 * sweep every second, so about 4 s), tell the team its users went offline, and a user who was only
 * on the dead node gets what was stored meanwhile by {@code notifications:sync} on another node.
 *
 * <p>How fast is not asserted (tests never time things): the wait below is a bound, and the time
 * it took is printed.
 */
class NodeKillTest {
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private final String run = "nk" + UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "faults_" + run;
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeLast.reversed()) c.close();
        StoredRows.dropSchema(schema);
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

    private static int roomCount(HeraldProcess node, String room) throws Exception {
        return Rest.call(node, "POST", "/api/v1/realtime/rooms/" + room + "/events", "{\"eventType\":\"probe\"}")
                .path("recipientCount").asInt();
    }

    @Test
    void theSurvivorsDropAKilledNodesConnectionsItsUsersGoOfflineAndSyncOnAnotherNodeGivesWhatTheyMissed() throws Exception {
        RedisServerProcess redis = keep(RedisServerProcess.start());
        Map<String, String> cluster = Map.of("REDIS_URL", redis.url(), "DATABASE_URL", StoredRows.PG_URL, "DATABASE_SCHEMA", schema);
        HeraldProcess a = keep(HeraldProcess.start("a", work, cluster));
        HeraldProcess b = keep(HeraldProcess.start("b", work, cluster));
        HeraldProcess c = keep(HeraldProcess.start("c", work, cluster));
        String both = run + "-both", onlyB = run + "-onlyb", team = run + "-team", room = "channel:" + run;
        WsClient watcher = keep(WsClient.connect(c, Tokens.user(run + "-watcher", team)));
        List<WsClient> sockets = List.of(WsClient.connect(a, Tokens.user(both, team)), WsClient.connect(b, Tokens.user(both, team)),
                WsClient.connect(b, Tokens.user(both, team)), WsClient.connect(b, Tokens.user(onlyB, team)),
                WsClient.connect(b, Tokens.user(onlyB, team)));
        sockets.forEach(this::keep);
        watcher.next("connection_ready", Duration.ofSeconds(10));
        for (WsClient s : sockets) s.next("connection_ready", Duration.ofSeconds(10));
        for (WsClient s : List.of(sockets.get(0), sockets.get(1), sockets.get(3))) {
            s.send("{\"event\":\"room:join\",\"data\":\"" + room + "\"}");
            s.next("room:joined", Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> total(a) == 6 && roomCount(c, room) == 3);
        assertThat(count(a, both)).isEqualTo(3);
        assertThat(count(c, onlyB)).isEqualTo(2);

        long killedAt = System.nanoTime();
        b.kill9();
        await().atMost(SETTLE_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> count(a, onlyB) == 0 && count(c, both) == 1 && total(a) == 2);
        long settledMs = (System.nanoTime() - killedAt) / 1_000_000;
        JsonNode offline = Rest.call(a, "GET", "/api/v1/realtime/users/" + onlyB, null);
        System.out.println("faults: node-kill9 nodes=3 sockets=6 on_killed_node=4 left=" + total(a) + " settled_ms=" + settledMs
                + " (CLUSTER_NODE_TTL_SECONDS=3: at most ~4000 expected)");
        assertThat(offline.path("isConnected").asBoolean()).as(offline.toString()).isFalse();
        assertThat(watcher.next("presence:user:offline", Duration.ofSeconds(10)).path("data").asText()).isEqualTo(onlyB);
        assertThat(roomCount(a, room)).isEqualTo(1);

        // Stored while onlyB has no socket anywhere; the user comes back on another node and syncs.
        JsonNode missed = Rest.call(a, "POST", "/api/v1/notifications",
                "{\"recipients\":[\"" + onlyB + "\"],\"type\":\"fault\",\"title\":\"while you were away\",\"message\":\"m\"}");
        String missedId = missed.path("ids").path(0).asText();
        WsClient back = keep(WsClient.connect(c, Tokens.user(onlyB, team)));
        back.next("connection_ready", Duration.ofSeconds(10));
        back.send("{\"event\":\"notifications:sync\",\"data\":{\"since\":0}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> back.frames.stream().anyMatch(f ->
                f.path("event").asText().equals("notification") && f.path("data").path("id").asText().equals(missedId)));
        assertThat(count(a, onlyB)).isEqualTo(1);
    }
}
