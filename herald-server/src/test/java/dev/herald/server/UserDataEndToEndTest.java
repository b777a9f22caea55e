package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GDPR through a whole Herald, with encryption at rest on: the export returns everything held about
 * a user (notifications with inbox state, preferences, contact, devices, outbox rows, delivery log),
 * and erasure leaves the export empty. On the embedded store and on PostgreSQL.
 */
class UserDataEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "user-data-webhook-signing-key!!!".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "e2e_gdpr_" + run;
    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    private boolean usedPostgres;

    private Herald start(String store) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true",
                "HERALD_ENCRYPTION_KEY", "k1:" + Base64.getEncoder().encodeToString(key)));
        if (store.equals("postgres")) {
            usedPostgres = true;
            env.put("DATABASE_URL", PG);
            env.put("DATABASE_SCHEMA", schema);
        }
        return Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() throws Exception {
        receiver.close();
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private JsonNode ok(int port, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgres"})
    void theExportHoldsEverythingAboutTheUserAndErasureLeavesItEmpty(String store) throws Exception {
        String user = "gdpr-" + run;
        String users = "/api/v1/users/" + user;
        try (Herald herald = start(store)) {
            int port = herald.clientPort();
            ok(port, "PUT", users + "/contact", "{\"email\":\"" + user + "@example.org\",\"webhookUrl\":\"" + receiver.url() + "\"}");
            ok(port, "PUT", users + "/preferences", "{\"types\":{\"marketing\":{\"webhook\":false}}}");
            ok(port, "POST", users + "/devices", "{\"platform\":\"fcm\",\"token\":\"fcm-token-" + run + "\"}");
            String id = ok(port, "POST", "/api/v1/notifications", "{\"recipients\":[\"" + user + "\"],\"type\":\"order\","
                    + "\"title\":\"Shipped\",\"message\":\"Order 42\",\"channels\":[\"inApp\",\"webhook\"]}").path("ids").get(0).asText();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1
                    && ok(port, "GET", users + "/export", null).path("deliveryLog").size() > 0);
            ok(port, "PUT", "/api/v1/notifications/" + id + "/read?userId=" + user, null);

            JsonNode export = ok(port, "GET", users + "/export", null);

            assertThat(export.path("userId").asText()).isEqualTo(user);
            assertThat(export.path("notifications")).singleElement().satisfies(n -> {
                assertThat(n.path("id").asText()).isEqualTo(id);
                assertThat(n.path("title").asText()).isEqualTo("Shipped");
                assertThat(n.path("readAt").isTextual()).as("inbox state").isTrue();
            });
            assertThat(export.at("/contact/email").asText()).isEqualTo(user + "@example.org");
            assertThat(export.at("/contact/webhookUrl").asText()).isEqualTo(receiver.url());
            assertThat(export.at("/preferences/types/marketing/webhook").asBoolean(true)).isFalse();
            assertThat(export.path("devices")).singleElement().satisfies(d -> assertThat(d.path("token").asText()).isEqualTo("fcm-token-" + run));
            assertThat(export.path("deliveries")).singleElement().satisfies(d -> {
                assertThat(d.path("channel").asText()).isEqualTo("webhook");
                assertThat(d.path("payload").asText()).contains("Order 42");
            });
            assertThat(export.path("deliveryLog")).allSatisfy(a -> assertThat(a.path("notificationId").asText()).isEqualTo(id));

            ok(port, "DELETE", users, null);
            JsonNode after = ok(port, "GET", users + "/export", null);

            assertThat(after.path("notifications")).isEmpty();
            assertThat(after.path("contact").isNull()).isTrue();
            assertThat(after.path("preferences").isNull()).isTrue();
            assertThat(after.path("devices")).isEmpty();
            assertThat(after.path("deliveries")).isEmpty();
            assertThat(after.path("deliveryLog")).isEmpty();
        }
    }
}
