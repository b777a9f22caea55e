package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.broker.redis.RedisServerProcess;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Herald in-process with REDIS_URL on a private redis-server that the test kills and starts again
 * (empty, as a crashed Redis without persistence comes back): what clients and services see.
 */
class OutageEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();
    private RedisServerProcess redis;
    private Herald herald;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        herald = Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "REDIS_URL", "redis://127.0.0.1:" + redis.port(), "NODE_ID", "outage-node"))), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (herald != null) herald.close();
        redis.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.clientPort() + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode health() throws Exception {
        return Json.parse(call("GET", "/health", null).body(), "health");
    }

    private WsClient connected(String user) throws Exception {
        WsClient client = WsClient.connect(herald.clientPort(), tokens.user(user, "t1"));
        client.next("connection_ready");
        client.next("notifications:pending");
        return client;
    }

    private void outage() throws Exception {
        redis.kill();
        await().atMost(PATIENCE).until(() -> health().path("broker").asText().equals("degraded"));
    }

    @Test
    void pushesANotificationCreatedDuringTheOutageToTheConnectedSocketOnceRedisIsBack() throws Exception {
        try (WsClient client = connected("ann")) {
            outage();
            HttpResponse<String> created = call("POST", "/api/v1/notifications",
                    "{\"recipients\":[\"ann\"],\"type\":\"order\",\"title\":\"During\",\"message\":\"m\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String id = Json.parse(created.body(), "created").path("ids").get(0).asText();

            redis.launch();

            assertThat(client.next("notification", PATIENCE).path("data").path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void saysTheBrokerIsDegradedOnHealthAndNotReadyWhileRedisIsDown() throws Exception {
        outage();

        JsonNode health = health();
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("brokerDownSince").asText()).isNotEmpty();
        HttpResponse<String> ready = call("GET", "/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"broker\"");
    }

    @Test
    void answersARoomEventDuringTheOutageWithBrokerUnavailableInsteadOfSuccess() throws Exception {
        outage();

        HttpResponse<String> sent = call("POST", "/api/v1/realtime/rooms/channel:news/events", "{\"eventType\":\"e\",\"payload\":1}");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(503);
        assertThat(Json.parse(sent.body(), "error").at("/error/code").asText()).isEqualTo("BROKER_UNAVAILABLE");
    }

    @Test
    void countsTheConnectedUserAgainOnceRedisIsBack() throws Exception {
        try (WsClient client = connected("bea")) {
            outage();

            redis.launch();

            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    assertThat(Json.parse(call("GET", "/api/v1/realtime/users/bea", null).body(), "answer")
                            .path("connectionCount").asInt()).isEqualTo(1));
        }
    }
}
