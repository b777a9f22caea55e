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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Text a store cannot keep (U+0000, which PostgreSQL refuses and SQLite keeps; an unpaired surrogate,
 * which neither can encode) gets the same 400 naming the field on the embedded store and on
 * PostgreSQL, so the answer never depends on which store a deployment runs.
 */
class TextEdgesEndToEndTest {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";

    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String schema = "e2e_text_" + UUID.randomUUID().toString().substring(0, 8);
    private boolean usedPostgres;

    private Herald start(String store) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY));
        if (store.equals("postgres")) {
            usedPostgres = true;
            vars.put("DATABASE_URL", PG);
            vars.put("DATABASE_SCHEMA", schema);
        }
        return Herald.start(HeraldConfig.from(new Env(vars)), Clock.systemUTC());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (!usedPostgres) return;
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private HttpResponse<String> call(int port, String method, String pathAndQuery, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("authorization", "Bearer " + bearer).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) {
        return Json.parse(r.body(), "answer").path("error");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "embedded | title     | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"a\\u0000b\"}",
            "postgres | title     | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"a\\u0000b\"}",
            "embedded | title     | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"a\\ud800\"}",
            "postgres | title     | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"a\\ud800\"}",
            "embedded | recipients[0] | {\"type\":\"t\",\"recipients\":[\"b\\u0000o\"],\"title\":\"x\"}",
            "postgres | recipients[0] | {\"type\":\"t\",\"recipients\":[\"b\\u0000o\"],\"title\":\"x\"}",
            "embedded | data.note | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"x\",\"data\":{\"note\":\"\\u0000\"}}",
            "postgres | data.note | {\"type\":\"t\",\"recipients\":[\"bo\"],\"title\":\"x\",\"data\":{\"note\":\"\\u0000\"}}",
    })
    void refusesTextNoStoreCanKeepWith400NamingTheField(String store, String field, String body) throws Exception {
        try (Herald herald = start(store)) {
            HttpResponse<String> r = call(herald.clientPort(), "POST", "/api/v1/notifications", TestTokens.API_KEY, body);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(error(r).path("code").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(error(r).path("message").asText()).startsWith(field + ": ");
        }
    }

    @ParameterizedTest(name = "{0}: ?{1}=")
    @CsvSource({"embedded, userId", "postgres, userId", "embedded, type", "postgres, type", "embedded, channel", "postgres, channel"})
    void refusesNulInAnInboxQueryParameterWith400NamingIt(String store, String name) throws Exception {
        try (Herald herald = start(store)) {
            String query = name.equals("userId") ? "?userId=b%00o" : "?userId=bo&" + name + "=x%00";
            HttpResponse<String> r = call(herald.clientPort(), "GET", "/api/v1/notifications" + query, TestTokens.API_KEY, null);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(error(r).path("message").asText()).startsWith(name + ": ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"embedded", "postgres"})
    void refusesNulInAUserIdInThePathWith400(String store) throws Exception {
        try (Herald herald = start(store)) {
            HttpResponse<String> r = call(herald.clientPort(), "DELETE", "/api/v1/users/b%00o", TestTokens.API_KEY, null);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(error(r).path("message").asText()).startsWith("id: ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"embedded", "postgres"})
    void refusesAUserTokenWhoseUserIdHoldsNulWith401InvalidToken(String store) throws Exception {
        try (Herald herald = start(store)) {
            HttpResponse<String> r = call(herald.clientPort(), "GET", "/api/v1/notifications", tokens.user("b\u0000o", null), null);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(error(r).path("message").asText()).contains("INVALID_TOKEN").contains("user_id");
        }
    }
}
