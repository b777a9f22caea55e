package dev.herald.server;

import static dev.herald.channels.testing.WebhookReceiver.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.channels.testing.WebhookReceiver;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook channel through the whole pipeline, as a user runs it: a contact with a webhook URL,
 * a create naming the channel, and a real loopback receiver that verifies every Standard Webhooks
 * signature (a bad one would be refused with 401 and never counted). On the embedded store and
 * on PostgreSQL; retries are shortened with DELIVERY_RETRY_SCHEDULE.
 */
class WebhookDeliveryEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "end-to-end-webhook-signing-key!!".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String schema = "e2e_hook_" + UUID.randomUUID().toString().substring(0, 8);
    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    private final WebhookReceiver callbacks = WebhookReceiver.start(SECRET);
    private boolean usedPostgres;
    private Herald herald;

    private int start(String store) {
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true", "DELIVERY_RETRY_SCHEDULE", "50ms",
                "WEBHOOK_MAX_ATTEMPTS", "3"));
        env.put("DELIVERY_WEBHOOK_URL", callbacks.url());
        if (store.equals("postgres")) {
            usedPostgres = true;
            env.put("DATABASE_URL", PG);
            env.put("DATABASE_SCHEMA", schema);
        }
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
        return herald.clientPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (herald != null) herald.close();
        receiver.close();
        callbacks.close();
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(int port, String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(port, method, path, body);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }

    private void giveAmyAWebhook(int port) throws Exception {
        ok(port, "PUT", "/api/v1/users/amy/contact", "{\"webhookUrl\":\"" + receiver.url() + "\"}");
    }

    private String notify(int port, String type) throws Exception {
        return ok(port, "POST", "/api/v1/notifications", "{\"recipients\":[\"amy\"],\"type\":\"" + type
                + "\",\"title\":\"Shipped\",\"message\":\"Order 42\",\"channels\":[\"inApp\",\"webhook\"]}")
                .path("ids").get(0).asText();
    }

    private JsonNode delivery(int port, String notificationId) throws Exception {
        return ok(port, "GET", "/api/v1/notifications/" + notificationId + "/deliveries", null).path("deliveries").get(0);
    }

    private String statusOf(int port, String notificationId) throws Exception {
        JsonNode d = delivery(port, notificationId);
        return d == null ? "none" : d.path("status").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deliversASignedWebhookOnTheThirdAttemptAfterTwo503s(String store) throws Exception {
        int port = start(store);
        giveAmyAWebhook(port);
        receiver.respond(status(503), status(503), status(200));
        String id = notify(port, "order");

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("sent"));
        JsonNode d = delivery(port, id);
        assertThat(receiver.count(d.path("id").asText())).isEqualTo(3);
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsOnly(d.path("id").asText());
        assertThat(Json.parse(receiver.received().getLast().body(), "body").path("id").asText()).isEqualTo(id);
        assertThat(d.path("history")).extracting(a -> a.path("outcome").asText()).containsExactly("pending", "pending", "sent");
        assertThat(receiver.rejected()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void listsADeadLetterAndDeliversItWhenReplayedAfterTheReceiverIsFixed(String store) throws Exception {
        int port = start(store);
        giveAmyAWebhook(port);
        receiver.respond(status(500));
        String id = notify(port, "order");

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("dead"));
        String deliveryId = delivery(port, id).path("id").asText();
        assertThat(receiver.count(deliveryId)).isEqualTo(3);
        JsonNode dead = ok(port, "GET", "/api/v1/admin/deliveries?status=dead", null).path("deliveries");
        assertThat(dead).extracting(n -> n.path("id").asText()).contains(deliveryId);
        assertThat(dead.get(0).path("reason").asText()).isEqualTo("http 500");
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacks.received().stream()
                .anyMatch(c -> c.body().contains("\"delivery.dead\"") && c.body().contains(deliveryId)));

        receiver.respond(status(200));
        ok(port, "POST", "/api/v1/admin/deliveries/" + deliveryId + "/replay", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("sent"));
        assertThat(receiver.count(deliveryId)).isEqualTo(4);
    }

    @Test
    void failsAtOnceWhenTheReceiverSaysTheHookIsGone() throws Exception {
        int port = start("sqlite");
        giveAmyAWebhook(port);
        receiver.respond(status(410));
        String id = notify(port, "order");
        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("failed"));
        assertThat(delivery(port, id).path("reason").asText()).isEqualTo("http 410");
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void sendsNothingOnAChannelTheUserSwitchedOffForTheType() throws Exception {
        int port = start("sqlite");
        giveAmyAWebhook(port);
        ok(port, "PUT", "/api/v1/users/amy/preferences", "{\"types\":{\"marketing\":{\"webhook\":false}}}");
        String skipped = notify(port, "marketing");
        String marker = notify(port, "order");

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, marker).equals("sent"));
        assertThat(delivery(port, skipped).path("status").asText()).isEqualTo("skipped");
        assertThat(delivery(port, skipped).path("reason").asText()).isEqualTo("type_disabled");
        assertThat(receiver.received()).extracting(r -> Json.parse(r.body(), "body").path("id").asText()).containsExactly(marker);
    }

    @Test
    void refusesAChannelThatHasNoSettingsWithChannelNotConfigured() throws Exception {
        int port = start("sqlite");
        HttpResponse<String> r = call(port, "POST", "/api/v1/notifications",
                "{\"recipients\":[\"amy\"],\"type\":\"order\",\"title\":\"t\",\"channels\":[\"sms\"]}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(Json.parse(r.body(), "answer").path("error").path("code").asText()).isEqualTo("CHANNEL_NOT_CONFIGURED");
    }
}
