package dev.herald.server;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates through the whole server, over REST as a user drives them: the admin routes, the
 * create-time check (422, never a failed send later), the version a notification records, the
 * starters and HERALD_TEMPLATES_DIR. The webhook channel is the out-of-app channel here (a real
 * loopback receiver verifying signatures).
 */
class TemplatesEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "templates-end-to-end-signing-key".getBytes(StandardCharsets.UTF_8));
    private static final String TEMPLATES = "/api/v1/admin/templates";

    @TempDir
    Path dataDir;
    @TempDir
    Path templatesDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String schema = "e2e_tpl_" + UUID.randomUUID().toString().substring(0, 8);
    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    private boolean usedPostgres;
    private Herald herald;
    private int port;

    private void start(String store, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "WEBHOOK_SIGNING_SECRET", SECRET, "ALLOW_HTTP_WEBHOOKS", "true"));
        env.putAll(extra);
        if (store.equals("postgres")) {
            usedPostgres = true;
            env.put("DATABASE_URL", PG);
            env.put("DATABASE_SCHEMA", schema);
        }
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
        port = herald.clientPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (herald != null) herald.close();
        receiver.close();
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return Json.parse(r.body(), "answer");
    }

    private JsonNode refused(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return Json.parse(r.body(), "answer").path("error");
    }

    private static String transaction(String fieldsWithoutAmount) {
        return "{\"recipients\":[\"amy\"],\"type\":\"payment\",\"template\":\"transaction-confirmation\",\"channels\":[\"inApp\"],"
                + "\"variables\":{" + fieldsWithoutAmount + "}}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aCreateMissingATemplateOrADeclaredVariableIsRefused422AndStoresNothing(String store) throws Exception {
        start(store, Map.of());
        String fields = "\"Title\":\"Paid\",\"Greeting\":\"Hello\",\"Currency\":\"EUR\",\"TransactionID\":\"tx-1\",\"Status\":\"done\"";

        JsonNode missingVariable = refused(422, "POST", "/api/v1/notifications", transaction(fields));
        JsonNode missingTemplate = refused(422, "POST", "/api/v1/notifications",
                "{\"recipients\":[\"amy\"],\"type\":\"payment\",\"template\":\"no-such-template\"}");
        JsonNode missingChannel = refused(422, "POST", "/api/v1/notifications", transaction(fields + ",\"Amount\":\"10\"")
                .replace("[\"inApp\"]", "[\"inApp\",\"webhook\"]"));

        assertThat(missingVariable.path("code").asText()).isEqualTo("TEMPLATE_VARIABLE_MISSING");
        assertThat(missingVariable.path("message").asText()).contains("Amount");
        assertThat(missingTemplate.path("code").asText()).isEqualTo("TEMPLATE_NOT_FOUND");
        assertThat(missingChannel.path("code").asText()).isEqualTo("TEMPLATE_NOT_FOUND");
        assertThat(missingChannel.path("message").asText()).contains("webhook");
        assertThat(ok("GET", "/api/v1/notifications?userId=amy", null).path("notifications")).isEmpty();
    }

    @Test
    void theSameVariantTwiceIsAConflictAndAnUpdateIsANewVersion() throws Exception {
        start("sqlite", Map.of());
        String variant = "{\"key\":\"welcome\",\"channel\":\"sms\",\"locale\":\"fr-CA\",\"body\":\"Bienvenue {{ name }}\","
                + "\"variables\":[\"name\"]}";

        JsonNode created = Json.parse(call("POST", TEMPLATES, variant).body(), "answer");
        JsonNode conflict = refused(409, "POST", TEMPLATES, variant);
        JsonNode updated = ok("PUT", TEMPLATES + "/welcome", "{\"channel\":\"sms\",\"locale\":\"fr-CA\",\"body\":\"Salut {{ name }}\","
                + "\"variables\":[\"name\"]}");
        JsonNode broken = refused(422, "POST", TEMPLATES, variant.replace("fr-CA", "fr").replace("{{ name }}", "{% if %}"));

        assertThat(created.path("version").asLong()).isEqualTo(1);
        assertThat(created.path("locale").asText()).isEqualTo("fr-CA");
        assertThat(conflict.path("code").asText()).isEqualTo("CONFLICT");
        assertThat(updated.path("version").asLong()).isEqualTo(2);
        assertThat(broken.path("code").asText()).isEqualTo("TEMPLATE_INVALID");
        JsonNode read = ok("GET", TEMPLATES + "/welcome", null);
        assertThat(read.path("version").asLong()).isEqualTo(2);
        assertThat(read.path("variants").get(0).path("body").asText()).isEqualTo("Salut {{ name }}");
        assertThat(ok("GET", TEMPLATES + "?channel=sms", null).path("templates")).extracting(t -> t.path("key").asText())
                .contains("welcome", "notification", "digest").doesNotContain("transaction-confirmation");
        assertThat(ok("DELETE", TEMPLATES + "/welcome", null).path("deleted").asInt()).isEqualTo(1);
        refused(404, "GET", TEMPLATES + "/welcome", null);
    }

    @Test
    void aPreviewRendersTheFallbackLocaleWithPluralsAndEscapesOnlyTheHtml() throws Exception {
        start("sqlite", Map.of());

        JsonNode digest = ok("POST", TEMPLATES + "/digest/preview", "{\"locale\":\"fr-CA\",\"channel\":\"email\","
                + "\"variables\":{\"count\":3,\"notifications\":[{\"title\":\"a\"},{\"title\":\"b\"},{\"title\":\"c\"}]}}");
        JsonNode payment = ok("POST", TEMPLATES + "/transaction-confirmation/preview", "{\"variables\":{\"Title\":\"Paid\","
                + "\"Greeting\":\"Hello\",\"Amount\":\"10.00\",\"Currency\":\"EUR\",\"TransactionID\":\"<script>alert(1)</script>\","
                + "\"Status\":\"completed\"}}");
        JsonNode missing = refused(422, "POST", TEMPLATES + "/transaction-confirmation/preview", "{\"variables\":{}}");

        assertThat(digest.path("locale").asText()).isEqualTo("fr");
        assertThat(digest.path("subject").asText()).isEqualTo("3 nouvelles notifications");
        assertThat(digest.path("body").asText()).contains("- a\n- b\n- c\n");
        assertThat(payment.path("channel").asText()).isEqualTo("email");
        assertThat(payment.path("body").asText()).contains("Transaction ID: <script>alert(1)</script>");
        assertThat(payment.path("html").asText()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(missing.path("code").asText()).isEqualTo("TEMPLATE_VARIABLE_MISSING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aNotificationRecordsTheVersionItWasCreatedWithAndIsSent(String store) throws Exception {
        start(store, Map.of());
        ok("PUT", "/api/v1/users/amy/contact", "{\"webhookUrl\":\"" + receiver.url() + "\",\"locale\":\"fr-CA\"}");
        ok("POST", TEMPLATES, "{\"key\":\"shipped\",\"channel\":\"inApp\",\"locale\":\"fr\",\"subject\":\"Commande {{ order }}\","
                + "\"body\":\"{n, plural, one {# colis expédié} other {# colis expédiés}}\",\"variables\":[\"order\",\"n\"]}");
        long version = ok("POST", TEMPLATES, "{\"key\":\"shipped\",\"channel\":\"webhook\",\"body\":\"Order {{ order }}\"}")
                .path("version").asLong();
        String create = "{\"recipients\":[\"amy\"],\"type\":\"order\",\"template\":\"shipped\",\"locale\":\"fr-CA\","
                + "\"channels\":[\"inApp\",\"webhook\"],\"variables\":{\"order\":\"A-1\",\"n\":2}}";

        String first = ok("POST", "/api/v1/notifications", create).path("ids").get(0).asText();
        ok("PUT", TEMPLATES + "/shipped", "{\"channel\":\"webhook\",\"body\":\"Order {{ order }} is on its way\"}");
        String second = ok("POST", "/api/v1/notifications", create).path("ids").get(0).asText();

        JsonNode inbox = ok("GET", "/api/v1/notifications/" + first + "?userId=amy", null);
        assertThat(inbox.toString()).contains("Commande A-1").contains("2 colis expédiés");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 2);
        JsonNode d1 = ok("GET", "/api/v1/notifications/" + first + "/deliveries", null).path("deliveries").get(0);
        JsonNode d2 = ok("GET", "/api/v1/notifications/" + second + "/deliveries", null).path("deliveries").get(0);
        assertThat(d1.path("template").path("key").asText()).isEqualTo("shipped");
        assertThat(d1.path("template").path("version").asLong()).isEqualTo(version);
        assertThat(d2.path("template").path("version").asLong()).isEqualTo(version + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> ok("GET", "/api/v1/notifications/" + second + "/deliveries", null)
                .path("deliveries").get(0).path("status").asText().equals("sent"));
    }

    @Test
    void theFolderLoadsAtStartAndStartersNeverOverwriteAnEdit() throws Exception {
        Files.createDirectories(templatesDir.resolve("welcome"));
        Files.writeString(templatesDir.resolve("welcome/email.json"), "{\"subject\":\"Hi {{ name }}\",\"body\":\"Welcome\","
                + "\"variables\":[\"name\"]}");
        Files.writeString(templatesDir.resolve("welcome/email.html"), "<p>Welcome {{ name }}</p>");
        start("sqlite", Map.of("HERALD_TEMPLATES_DIR", templatesDir.toString()));
        assertThat(ok("GET", TEMPLATES + "/welcome", null).path("variants").get(0).path("html").asText())
                .isEqualTo("<p>Welcome {{ name }}</p>");
        ok("PUT", TEMPLATES + "/notification", "{\"channel\":\"sms\",\"body\":\"Mine: {{ title }}\",\"variables\":[\"title\"]}");
        herald.close();

        start("sqlite", Map.of("HERALD_TEMPLATES_DIR", templatesDir.toString()));

        JsonNode sms = ok("GET", TEMPLATES + "?key=notification&channel=sms", null).path("templates").get(0);
        assertThat(sms.path("body").asText()).isEqualTo("Mine: {{ title }}");
        assertThat(ok("GET", TEMPLATES + "/welcome", null).path("version").asLong()).isEqualTo(1);
    }
}
