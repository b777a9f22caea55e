package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import dev.herald.channels.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics carries every metric name the seeds list, and /health seed 000's shape, through a whole Herald. */
class MetricsEndToEndTest {
    /**
     * Every metric name in seeds 000, 003 and 004 (docs/metrics.md says what moves each). Counters
     * appear with {@code _total}, timers and histograms with {@code _seconds_count}/{@code _bytes_count}.
     */
    static final List<String> SEED_NAMES = List.of(
            // seed 000
            "notifications_connections_total", "notifications_connections_by_transport", "notifications_connections_by_team",
            "notifications_connection_duration_seconds", "notifications_messages_sent_total",
            "notifications_messages_delivered_total", "notifications_message_delivery_duration_seconds",
            "notifications_auth_failures_total", "notifications_delivery_failures_total", "notifications_disconnections_total",
            "notifications_rooms_total", "notifications_room_members_total",
            // seed 003
            "websocket_connections_active", "websocket_connections_total", "websocket_connection_duration_seconds",
            "websocket_stale_connections_total", "websocket_messages_sent_total", "websocket_messages_received_total",
            "websocket_message_size_bytes", "websocket_broadcast_duration_seconds", "notifications_created_total",
            "notifications_delivered_total", "notifications_failed_total", "notification_delivery_latency_seconds",
            "queue_jobs_active", "queue_jobs_completed_total", "queue_jobs_failed_total", "queue_job_duration_seconds",
            // seed 004
            "notification_websocket_connections_total", "notification_websocket_messages_sent_total",
            "notification_websocket_errors_total", "notification_emails_sent_total", "notification_sms_sent_total",
            "notification_delivery_errors_total", "notification_queue_depth", "notification_queue_processing_rate");

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "metrics-webhook-signing-key-0123".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // Answers 410: the dispatcher's permanent failure, so notifications_failed_total has a series.
    private final WebhookReceiver gone = WebhookReceiver.start(SECRET).respond(WebhookReceiver.Answer.status(410));

    @AfterEach
    void stopReceiver() {
        gone.close();
    }

    private Herald start() {
        return Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true"))),
                Clock.systemUTC());
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everySeedMetricNameIsScrapedAfterTrafficOnEveryPath() throws Exception {
        String user = "metrics-" + run;
        java.util.concurrent.atomic.AtomicReference<String> whileConnected = new java.util.concurrent.atomic.AtomicReference<>("");
        try (Herald herald = start()) {
            int port = herald.clientPort();
            try (WsClient client = WsClient.connect(port, tokens.user(user, "team-" + run))) {
                client.next("notifications:pending");
                // The inbox path: a stored notification pushed live, and its webhook refused for good.
                assertThat(call(port, "PUT", "/api/v1/users/" + user + "/contact", "{\"webhookUrl\":\"" + gone.url() + "\"}")
                        .statusCode()).isBetween(200, 299);
                assertThat(call(port, "POST", "/api/v1/notifications", "{\"recipients\":[\"" + user + "\"],\"type\":\"order\","
                        + "\"title\":\"t\",\"message\":\"m\",\"channels\":[\"inApp\",\"webhook\"]}").statusCode()).isBetween(200, 299);
                client.next("notification");
                // The real-time API path.
                assertThat(call(port, "POST", "/api/v1/realtime/users/" + user + "/events",
                        "{\"eventType\":\"ping\",\"payload\":7}").statusCode()).isBetween(200, 299);
                client.next("ping");
                client.send("{\"event\":\"room:join\",\"data\":\"team:team-" + run + "\",\"id\":1}");
                client.next("ack");

                String text = call(port, "GET", "/metrics", null).body();
                whileConnected.set(text);

                assertThat(text).contains("notifications_created_total{type=\"order\"} 1")
                        .contains("notifications_messages_sent_total{event_type=\"notification\"} 1.0")
                        .contains("notifications_messages_sent_total{event_type=\"ping\"} 1.0")
                        .contains("notifications_messages_delivered_total{event_type=\"ping\"} 1.0")
                        .contains("notifications_delivered_total{channel=\"inApp\"} 1.0")
                        .contains("websocket_messages_received_total{event_type=\"room:join\"} 1.0")
                        .contains("notifications_room_members_total{room_id=\"team:team-" + run + "\"} 1")
                        .containsPattern("websocket_connections_active\\{server_id=\"[^\"]+\"} 1.0")
                        .contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("jvm_threads_live_threads")
                        .contains("hikaricp_connections_active{pool=\"herald-sqlite\"}");
            }
            WsClient refused = WsClient.connect(port, tokens.expired("mallory-" + run));
            refused.next("error");
            refused.closed.get(5, TimeUnit.SECONDS);
            // After a refused token and a disconnect, every family the seeds name has been scraped (the
            // per-team and per-room gauges only while someone is connected).
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String text = whileConnected.get() + call(port, "GET", "/metrics", null).body();
                assertThat(SEED_NAMES).allSatisfy(name -> assertThat(text).as(name).containsPattern("(?m)^" + name + "[{ _]"));
                assertThat(text).contains("notifications_auth_failures_total{code=\"TOKEN_EXPIRED\"} 1.0")
                        .contains("notifications_failed_total{channel=\"webhook\",reason=\"http 410\"} 1.0")
                        .contains("notification_delivery_errors_total{channel=\"webhook\"} 1.0")
                        .containsPattern("notifications_disconnections_total\\{reason=\"[a-z_]+\"} 1.0");
            });
        }
    }

    @Test
    void healthAnswersWithSeed000sShapeIncludingMemory() throws Exception {
        try (Herald herald = start()) {
            JsonNode health = Json.parse(call(herald.clientPort(), "GET", "/health", null).body(), "health");

            assertThat(health.path("status").asText()).isEqualTo("ok");
            assertThat(health.path("uptime").asText()).startsWith("PT");
            assertThat(health.path("totalConnections").asInt(-1)).isZero();
            assertThat(health.path("memoryUsage").path("heapUsedBytes").asLong()).isPositive();
            assertThat(health.path("memoryUsage").path("heapMaxBytes").isNumber()).isTrue();
        }
    }
}
