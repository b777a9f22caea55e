package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Herald nodes sharing the real Redis on localhost, as a cluster behind a load balancer. */
class ClusterEndToEndTest {
    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private Herald node(String name) {
        return node(name, Map.of());
    }

    private Herald node(String name, Map<String, String> extra) {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.resolve(name).toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY, "REDIS_URL", REDIS, "NODE_ID", name + "-" + run));
        vars.putAll(extra);
        return Herald.start(HeraldConfig.from(new Env(vars)), Clock.systemUTC());
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageSentThroughOneNodeReachesAUserConnectedToAnother() throws Exception {
        String user = "u-" + run;
        try (Herald a = node("a"); Herald b = node("b"); WsClient client = WsClient.connect(b.clientPort(), tokens.user(user, "t-" + run))) {
            client.next("connection_ready");

            HttpResponse<String> sent = call(a.clientPort(), "POST", "/api/v1/realtime/users/" + user + "/events",
                    "{\"eventType\":\"order.shipped\",\"payload\":{\"id\":42}}");

            assertThat(Json.parse(sent.body(), "answer").path("delivered").asBoolean()).as(sent.body()).isTrue();
            assertThat(client.next("order.shipped").path("data").path("id").asInt()).isEqualTo(42);
            String seen = call(a.clientPort(), "GET", "/api/v1/realtime/users/" + user, null).body();
            assertThat(Json.parse(seen, "answer").path("connectionCount").asInt()).as(seen).isEqualTo(1);
        }
    }

    /**
     * Each user is new, so node B subscribes its room just for this connection; a notification
     * created through node A the moment the client is greeted must not fall into the gap.
     */
    @Test
    void aNotificationCreatedThroughOneNodeRightAfterConnectionReadyReachesTheSocketOnAnother() throws Exception {
        List<String> lost = new ArrayList<>();
        try (Herald a = node("a"); Herald b = node("b")) {
            for (int i = 0; i < 20; i++) {
                String user = "fresh-" + i + "-" + run;
                try (WsClient client = WsClient.connect(b.clientPort(), tokens.user(user, null))) {
                    client.next("connection_ready");
                    HttpResponse<String> created = call(a.clientPort(), "POST", "/api/v1/notifications",
                            "{\"recipients\":[\"" + user + "\"],\"type\":\"order\",\"title\":\"t\",\"message\":\"m\"}");
                    String id = Json.parse(created.body(), "answer").path("ids").get(0).asText();
                    try {
                        assertThat(client.next("notification").path("data").path("id").asText()).isEqualTo(id);
                    } catch (AssertionError e) {
                        lost.add(user);
                    }
                }
            }
        }
        assertThat(lost).as("users whose notification never reached the socket").isEmpty();
    }

    @Test
    void roomMessagesCrossNodesOverNatsWhenNatsUrlIsSet() throws Exception {
        String user = "n-" + run;
        Map<String, String> nats = Map.of("NATS_URL", "nats://127.0.0.1:4222");
        try (Herald a = node("a", nats); Herald b = node("b", nats); WsClient client = WsClient.connect(b.clientPort(), tokens.user(user, null))) {
            client.next("connection_ready");

            call(a.clientPort(), "POST", "/api/v1/realtime/users/" + user + "/events", "{\"eventType\":\"ping\",\"payload\":7}");

            assertThat(client.next("ping").path("data").asInt()).isEqualTo(7);
        }
    }

    @Test
    void redisUserNotiMessagesReachTheUserOnWhicheverNodeTheyAre() throws Exception {
        String user = "r-" + run;
        RedisClient redis = RedisClient.create(REDIS);
        try (Herald a = node("a"); Herald b = node("b");
             WsClient onA = WsClient.connect(a.clientPort(), tokens.user(user, null));
             WsClient onB = WsClient.connect(b.clientPort(), tokens.user(user, null));
             StatefulRedisConnection<String, String> conn = redis.connect()) {
            onA.next("connection_ready");
            onB.next("connection_ready");

            conn.sync().publish("user_noti:" + user, "{\"event\":\"chat\",\"data\":{\"text\":\"hi\"}}");
            conn.sync().publish("user_noti:" + user, "{\"title\":\"plain notification\"}");

            assertThat(onA.next("chat").path("data").path("text").asText()).isEqualTo("hi");
            assertThat(onB.next("chat").path("data").path("text").asText()).isEqualTo("hi");
            assertThat(onB.next("notification").path("data").path("title").asText()).isEqualTo("plain notification");
            assertThat(onA.drain()).noneMatch(f -> f.path("event").asText().equals("chat"));
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aKickOnOneNodeDisconnectsTheUserOnEveryNode() throws Exception {
        String user = "k-" + run;
        try (Herald a = node("a"); Herald b = node("b")) {
            WsClient onB = WsClient.connect(b.clientPort(), tokens.user(user, null));
            onB.next("connection_ready");

            HttpResponse<String> kicked = call(a.clientPort(), "DELETE", "/api/v1/realtime/users/" + user, "{\"reason\":\"maintenance\"}");

            assertThat(kicked.body()).contains("\"disconnectedCount\":1");
            assertThat(onB.next("error").path("data").path("message").asText()).isEqualTo("maintenance");
            assertThat(onB.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        }
    }
}
