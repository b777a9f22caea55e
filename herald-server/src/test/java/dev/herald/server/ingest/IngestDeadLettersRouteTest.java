package dev.herald.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view of ingestion's dead letters through a whole Herald: poison messages published
 * on the real NATS, kept in the embedded store's {@code ingest_dead_letters} by the JetStream
 * consumer, and read back over HTTP by {@code GET /api/v1/admin/ingest/dead-letters}, body and all,
 * as the operator who fixes and resends them would.
 */
class IngestDeadLettersRouteTest {
    private static final String API_KEY = "ingest-dlq-route-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private final TestNats nats = new TestNats();
    private Herald herald;

    IngestDeadLettersRouteTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        if (herald != null) herald.close();
        nats.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.clientPort() + pathAndQuery));
        if (bearer != null) b.header("authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode list(String query) throws Exception {
        HttpResponse<String> r = get("/api/v1/admin/ingest/dead-letters" + query, API_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body(), "answer").get("deadLetters");
    }

    private static NatsMessage message(String subject, String msgId, String body) {
        Headers h = new Headers();
        h.put("Nats-Msg-Id", msgId);
        return NatsMessage.builder().subject(subject).headers(h).data(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void theJetStreamConsumersDeadLettersAreListedOverHttpWithTheirReasonAndBody() throws Exception {
        nats.createStream(nats.stream, nats.prefix + ".>");
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", "0123456789abcdef0123456789abcdef-test",
                "HERALD_API_KEYS", API_KEY, "NATS_URL", nats.url, "NATS_INGEST", "true", "NATS_STREAM", nats.stream));
        env.put("NATS_DLQ_PREFIX", nats.dlqPrefix);
        env.put("NATS_SUBJECTS", nats.prefix + ".>");
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
        JetStream js = nats.connection.jetStream();
        String badJson = "{\"recipients\": [\"ann\"";
        js.publish(message(nats.prefix + ".orders", "bad-json", badJson));
        js.publish(message(nats.prefix + ".orders", "no-type", "{\"recipients\":[\"ann\"],\"title\":\"x\"}"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> list("").size() == 2);

        JsonNode letters = list("?source=nats&limit=10");
        assertThat(letters).hasSize(2);
        JsonNode bad = letters.get(0).path("messageKey").asText().equals("bad-json") ? letters.get(0) : letters.get(1);
        assertThat(bad.path("id").asText()).startsWith("nats:");
        assertThat(bad.path("source").asText()).isEqualTo("nats");
        assertThat(bad.path("subject").asText()).isEqualTo(nats.prefix + ".orders");
        assertThat(bad.path("reason").asText()).isEqualTo("INVALID_ARGUMENT: not JSON (21 bytes)");
        assertThat(bad.path("body").asText()).isEqualTo(badJson);
        assertThat(bad.path("receivedAt").asText()).isNotBlank();
        // Newest first.
        assertThat(Instant.parse(letters.get(0).path("receivedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(letters.get(1).path("receivedAt").asText()));
        assertThat(list("?limit=1")).hasSize(1);
        assertThat(list("?source=redis")).isEmpty();

        HttpResponse<String> badLimit = get("/api/v1/admin/ingest/dead-letters?limit=0", API_KEY);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(Json.parse(badLimit.body(), "answer").path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(get("/api/v1/admin/ingest/dead-letters", null).statusCode()).isEqualTo(401);
    }
}
