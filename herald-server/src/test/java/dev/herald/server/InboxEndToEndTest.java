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
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable inbox end to end, on the embedded store and on the real PostgreSQL: notifications
 * created through REST, seen by socket clients, surviving a restart.
 */
class InboxEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "e2e_" + run;
    private boolean usedPostgres;

    private Map<String, String> env(String store) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY));
        if (store.equals("postgres")) {
            usedPostgres = true;
            vars.put("DATABASE_URL", PG);
            vars.put("DATABASE_SCHEMA", schema);
        }
        return vars;
    }

    private Herald start(String store) {
        return Herald.start(HeraldConfig.from(new Env(env(store))), Clock.systemUTC());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private JsonNode send(int port, String method, String path, String bearer, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + bearer).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }

    private String create(int port, String user, String title, String extra) throws Exception {
        JsonNode created = send(port, "POST", "/api/v1/notifications", TestTokens.API_KEY,
                "{\"recipients\":[\"" + user + "\"],\"type\":\"order\",\"title\":\"" + title + "\",\"message\":\"m\"" + extra + "}");
        return created.path("ids").get(0).asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgres"})
    void aNotificationCreatedWhileTheUserWasOfflineIsPendingWhenTheyConnect(String store) throws Exception {
        String user = "off-" + run;
        try (Herald herald = start(store)) {
            String id = create(herald.clientPort(), user, "Shipped", "");

            try (WsClient client = WsClient.connect(herald.clientPort(), tokens.user(user, null))) {
                JsonNode pending = client.next("notifications:pending").path("data");

                assertThat(pending.path("notifications")).extracting(n -> n.path("id").asText()).containsExactly(id);
                assertThat(pending.path("notifications").get(0).path("title").asText()).isEqualTo("Shipped");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgres"})
    void readingOnOneTabClearsItOnTheOthers(String store) throws Exception {
        String user = "tabs-" + run;
        try (Herald herald = start(store);
             WsClient tabA = WsClient.connect(herald.clientPort(), tokens.user(user, null));
             WsClient tabB = WsClient.connect(herald.clientPort(), tokens.user(user, null))) {
            tabA.next("notifications:pending");
            tabB.next("notifications:pending");
            String id = create(herald.clientPort(), user, "Live", "");
            assertThat(tabA.next("notification").path("data").path("id").asText()).isEqualTo(id);

            tabA.send("{\"event\":\"notification:read\",\"data\":{\"notificationId\":\"" + id + "\"},\"id\":1}");

            assertThat(tabA.next("ack").path("data").path("ok").asBoolean()).isTrue();
            JsonNode status = tabB.next("notificationStatus").path("data");
            assertThat(status.toString()).contains(id).contains("read");
            JsonNode inbox = send(herald.clientPort(), "GET", "/api/v1/notifications?unreadOnly=true", tokens.user(user, null), null);
            assertThat(inbox.path("unreadCount").asInt()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgres"})
    void theInboxSurvivesARestart(String store) throws Exception {
        String user = "restart-" + run;
        String id;
        try (Herald first = start(store)) {
            id = create(first.clientPort(), user, "Before restart", "");
        }
        try (Herald second = start(store)) {
            JsonNode inbox = send(second.clientPort(), "GET", "/api/v1/notifications", tokens.user(user, null), null);

            assertThat(inbox.path("notifications")).extracting(n -> n.path("id").asText()).containsExactly(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgres"})
    void aScheduledNotificationArrivesWhenDue(String store) throws Exception {
        String user = "sched-" + run;
        try (Herald herald = start(store); WsClient client = WsClient.connect(herald.clientPort(), tokens.user(user, null))) {
            client.next("notifications:pending");
            String due = Instant.now().plusSeconds(2).toString();

            String id = create(herald.clientPort(), user, "Later", ",\"scheduledAt\":\"" + due + "\"");

            assertThat(client.drain()).noneMatch(f -> f.path("event").asText().equals("notification"));
            assertThat(client.next("notification", Duration.ofSeconds(10)).path("data").path("id").asText()).isEqualTo(id);
        }
    }

    @org.junit.jupiter.api.Test
    void theEmbeddedInboxSurvivesAKillNine() throws Exception {
        String user = "kill-" + run;
        Map<String, String> vars = env("embedded");
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        vars.put("SOCKETIO_PORT", Integer.toString(port));
        vars.put("ENABLE_GRPC", "false");
        vars.put("LOG_FORMAT", "console");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"))
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("child.log").toFile());
        pb.environment().putAll(vars);
        Process child = pb.start();
        List<String> ids = new java.util.ArrayList<>();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            for (int i = 0; i < 20; i++) ids.add(create(port, user, "n" + i, ""));
        } finally {
            child.destroyForcibly().waitFor();
        }
        try (Herald after = Herald.start(HeraldConfig.from(new Env(env("embedded"))), Clock.systemUTC())) {
            JsonNode inbox = send(after.clientPort(), "GET", "/api/v1/notifications?limit=100", tokens.user(user, null), null);

            assertThat(inbox.path("notifications")).extracting(n -> n.path("id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
