package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.channels.testing.FcmServer;
import dev.herald.channels.testing.PushAnswer;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The push channel through the whole pipeline, as a user runs it: Herald started with a Firebase
 * service-account file pointing at the local FCM stand-in (which verifies the RS256 grant and the
 * bearer token of every send), a device registered by the user over {@code POST /me/devices}, and a
 * notification created over REST with {@code channels: ["push"]}. On the embedded store and PostgreSQL.
 */
class PushDeliveryEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestTokens tokens = new TestTokens();
    private final String schema = "e2e_push_" + UUID.randomUUID().toString().substring(0, 8);
    private final FcmServer google = FcmServer.start(Clock.systemUTC());
    private boolean usedPostgres;
    private Herald herald;

    private int start(String store) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "DELIVERY_RETRY_SCHEDULE", "50ms",
                "FCM_SERVICE_ACCOUNT_FILE", google.writeServiceAccount(dataDir).toString(),
                "FCM_BASE_URL", google.baseUrl(), "FCM_TOKEN_URL", google.tokenUrl()));
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
        google.close();
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private JsonNode ok(int port, String bearer, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + bearer).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }

    private String registerDevice(int port, String token) throws Exception {
        return ok(port, tokens.user("amy", "acme"), "POST", "/api/v1/me/devices",
                "{\"platform\":\"fcm\",\"token\":\"" + token + "\"}").path("id").asText();
    }

    private String notify(int port) throws Exception {
        return ok(port, TestTokens.API_KEY, "POST", "/api/v1/notifications", "{\"recipients\":[\"amy\"],\"type\":\"order\","
                + "\"title\":\"Shipped\",\"message\":\"Order 42 is on its way\",\"priority\":\"high\",\"channels\":[\"push\"]}")
                .path("ids").get(0).asText();
    }

    private JsonNode delivery(int port, String notificationId) throws Exception {
        return ok(port, TestTokens.API_KEY, "GET", "/api/v1/notifications/" + notificationId + "/deliveries", null)
                .path("deliveries").get(0);
    }

    private String statusOf(int port, String notificationId) throws Exception {
        JsonNode d = delivery(port, notificationId);
        return d == null ? "none" : d.path("status").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aNotificationCreatedOverRestReachesTheUsersPhoneThroughFcm(String store) throws Exception {
        int port = start(store);
        String device = registerDevice(port, "fcm-token-amy-phone");
        String id = notify(port);

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("sent"));
        assertThat(google.refusedGrants()).isZero();
        assertThat(google.refusedSends()).isZero();
        FcmServer.Received got = google.receivedFor("fcm-token-amy-phone").getFirst();
        assertThat(got.message().path("notification").path("title").asText()).isEqualTo("Shipped");
        assertThat(got.message().path("notification").path("body").asText()).isEqualTo("Order 42 is on its way");
        assertThat(got.message().path("data").path("id").asText()).isEqualTo(id);
        assertThat(providers(delivery(port, id))).containsExactly("fcm/" + device + ":sent", "push:sent");
    }

    @Test
    void anUnregisteredDeviceIsRemovedAndTheUsersOtherDeviceStillGetsIt() throws Exception {
        int port = start("sqlite");
        String old = registerDevice(port, "fcm-token-old-tablet");
        String phone = registerDevice(port, "fcm-token-new-phone");
        google.respond("fcm-token-old-tablet", PushAnswer.status(404, FcmServer.error(404, "NOT_FOUND", "UNREGISTERED")));
        String id = notify(port);

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("sent"));
        JsonNode devices = ok(port, tokens.user("amy", "acme"), "GET", "/api/v1/me/devices", null);
        assertThat(StreamSupport.stream(devices.path("devices").spliterator(), false).map(d -> d.path("id").asText()).toList())
                .containsExactly(phone);
        assertThat(google.received()).extracting(FcmServer.Received::token).containsExactly("fcm-token-new-phone");
        assertThat(providers(delivery(port, id))).contains("fcm/" + old + ":failed", "fcm/" + phone + ":sent", "push:sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aUserWithTwoPhonesGetsItOnBothWithARowPerPhoneBeforeTheDeliverysOwn(String store) throws Exception {
        int port = start(store);
        String phone = registerDevice(port, "fcm-token-amy-phone");
        String tablet = registerDevice(port, "fcm-token-amy-tablet");
        String id = notify(port);

        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(port, id).equals("sent"));
        assertThat(google.received()).extracting(FcmServer.Received::token)
                .containsExactlyInAnyOrder("fcm-token-amy-phone", "fcm-token-amy-tablet");
        List<String> rows = providers(delivery(port, id));
        assertThat(rows).hasSize(3).endsWith("push:sent");
        assertThat(rows.subList(0, 2)).containsExactlyInAnyOrder("fcm/" + phone + ":sent", "fcm/" + tablet + ":sent");
    }

    private static List<String> providers(JsonNode delivery) {
        return StreamSupport.stream(delivery.path("history").spliterator(), false)
                .map(a -> a.path("provider").asText() + ":" + a.path("outcome").asText()).toList();
    }
}
