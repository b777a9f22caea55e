package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.broker.nats.NatsServerProcess;
import dev.herald.core.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes whose rooms travel over a private nats-server (presence in the shared Redis under this
 * run's CLUSTER_PREFIX, the store in one PostgreSQL schema); NATS is killed and restarted while a
 * socket on node B waits for notifications created through node A. During the outage node B still
 * serves its client and the stored inbox; afterwards the rooms are resubscribed, what was stored
 * meanwhile is pushed, and cross-node delivery resumes.
 */
class NatsOutageEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private TestCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = new TestCluster("natsout", dataDir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        cluster.close();
    }

    private static HttpResponse<String> call(Herald node, String method, String path, String body) throws Exception {
        return TestCluster.call(node, method, path, body);
    }

    private String create(Herald node, String user, String title) throws Exception {
        HttpResponse<String> r = call(node, "POST", "/api/v1/notifications",
                "{\"recipients\":[\"" + user + "\"],\"type\":\"t\",\"title\":\"" + title + "\",\"message\":\"m\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.parse(r.body(), "created").path("ids").path(0).asText();
    }

    private static boolean got(WsClient socket, String id) {
        return socket.all.stream().anyMatch(f -> f.path("event").asText().equals("notification")
                && f.path("data").path("id").asText().equals(id));
    }

    @Test
    void whileNatsIsDownEachNodeServesItsOwnClientsAndAfterwardsWhatWasStoredArrives() throws Exception {
        NatsServerProcess nats = cluster.keep(NatsServerProcess.start());
        Herald a = cluster.node("a", Map.of("NATS_URL", nats.url())), b = cluster.node("b", Map.of("NATS_URL", nats.url()));
        String user = "u-" + cluster.run, room = "channel:" + cluster.run;
        WsClient socket = cluster.keep(WsClient.connect(b.clientPort(), tokens.user(user, null)));
        socket.next("connection_ready");
        socket.send("{\"event\":\"room:join\",\"data\":\"" + room + "\"}");
        socket.next("room:joined");
        String before = create(a, user, "before");
        await().atMost(PATIENCE).until(() -> got(socket, before));

        nats.kill();
        await().atMost(PATIENCE).until(() -> call(a, "POST", "/api/v1/realtime/rooms/" + room + "/events",
                "{\"eventType\":\"e\"}").statusCode() == 503);
        String during = create(a, user, "during");
        // Node B still serves its client and the stored inbox, the one created through A included.
        socket.send("{\"event\":\"notifications:sync\",\"data\":{\"since\":0},\"id\":7}");
        JsonNode ack = socket.next("ack");
        assertThat(ack.toString()).contains(during);
        assertThat(socket.closed).isNotDone();
        HttpResponse<String> inbox = call(b, "GET", "/api/v1/notifications?userId=" + user, null);
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.body()).contains(before, during);

        nats.launch();
        await().atMost(PATIENCE).until(() -> got(socket, during));
        String after = create(a, user, "after");
        await().atMost(PATIENCE).until(() -> got(socket, after));
        await().atMost(PATIENCE).until(() -> Json.parse(call(a, "POST", "/api/v1/realtime/rooms/" + room + "/events",
                "{\"eventType\":\"resumed\"}").body(), "answer").path("recipientCount").asInt() == 1);
        assertThat(socket.next("resumed")).isNotNull();
    }
}
