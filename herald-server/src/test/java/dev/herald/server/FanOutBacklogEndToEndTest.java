package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.route.FanOutBacklog;
import dev.herald.core.testing.MutableClock;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A started Herald whose event loops hold as many deliveries as REALTIME_MAX_FANOUT_BACKLOG allows:
 * the real-time routes answer 503 OVERLOADED with Retry-After, what was accepted before still
 * arrives, and the node serves again once the loops caught up. The loops' own counting is
 * NettyFanOutTest's; here the backlog is held full by hand, since a real one drains in microseconds.
 */
class FanOutBacklogEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final String team = "fanout-bound-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Herald herald;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        if (herald != null) herald.close();
    }

    private void start() {
        herald = Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "REALTIME_MAX_FANOUT_BACKLOG", "10"))), MutableClock.at(Instant.now().toString()));
    }

    private WsClient member(String userId) throws InterruptedException {
        WsClient c = WsClient.connect(herald.clientPort(), tokens.user(userId, team));
        open.add(c);
        c.next("connection_ready");
        return c;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.clientPort() + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> roomEvent(int n) throws Exception {
        return post("/api/v1/realtime/rooms/" + team + "/events", "{\"eventType\":\"tick\",\"payload\":{\"n\":" + n + "}}");
    }

    private static void assertOverloaded(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode error = Json.parse(r.body(), "answer").path("error");
        assertThat(error.path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    }

    @Test
    void refusesRealtimeCallsWith503WhileTheLoopsHoldTheBoundAndServesAgainAfter() throws Exception {
        start();
        WsClient ann = member("ann"), bob = member("bob");
        assertThat(roomEvent(1).statusCode()).isEqualTo(200);
        FanOutBacklog backlog = herald.fanOutBacklog();

        backlog.handedOff(10); // the loops are behind by the whole bound: one more delivery would pass it
        assertOverloaded(roomEvent(2));
        assertOverloaded(post("/api/v1/realtime/users/ann/events", "{\"eventType\":\"tick\",\"payload\":{\"n\":2}}"));
        assertOverloaded(post("/api/v1/realtime/broadcast", "{\"eventType\":\"tick\",\"payload\":{\"n\":2}}"));
        backlog.written(10);
        assertThat(roomEvent(3).statusCode()).isEqualTo(200);

        for (WsClient c : List.of(ann, bob)) {
            assertThat(c.next("tick").path("data").path("n").asInt()).isEqualTo(1);
            assertThat(c.next("tick").path("data").path("n").asInt()).as("nothing refused arrives, nothing accepted is lost").isEqualTo(3);
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.clientPort() + "/metrics"))
                .header("authorization", "Bearer " + TestTokens.API_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("herald_fanout_refused_total 3.0").contains("herald_fanout_backlog_limit 10.0");
    }
}
