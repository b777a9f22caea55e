package dev.herald.api.rest.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.ingest.IngestDeadLetters.DeadLetter;
import dev.herald.core.memory.MemoryIngestDeadLetters;
import dev.herald.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The ingest dead-letter listing over the memory store: its shape, filters, limits and who may read it. */
class IngestDeadLettersRestTest {
    static final String API_KEY = "ingest-dlq-test-key-0123456789";
    static final String SECRET = "ingest-dlq-test-secret-long-enough-hs256";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = MutableClock.at("2026-12-02T10:00:00Z");
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final MemoryIngestDeadLetters letters = new MemoryIngestDeadLetters();
    final IngestDeadLettersHttpService service = new IngestDeadLettersHttpService(letters,
            new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY)));

    private DeadLetter letter(String id, String source, String body) {
        DeadLetter d = new DeadLetter(id, source, "notifications.orders", "key-" + id, "INVALID_ARGUMENT: not JSON (3 bytes)",
                body, clock.instant());
        letters.record(d);
        clock.advance(Duration.ofSeconds(1));
        return d;
    }

    private HttpResponse call(Map<String, String> query, String bearer) {
        Map<String, List<String>> q = new HashMap<>();
        query.forEach((k, v) -> q.put(k, List.of(v)));
        Map<String, String> headers = new HashMap<>();
        if (bearer != null) headers.put("authorization", "Bearer " + bearer);
        return service.handle(new HttpRequest("GET", IngestDeadLettersHttpService.PATH, q, headers, null, "127.0.0.1")).orElseThrow();
    }

    private static JsonNode json(HttpResponse r) throws Exception {
        return JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("deadLetters").spliterator(), false).map(d -> d.get("id").asText()).toList();
    }

    private String token(List<String> roles) {
        return new TokenIssuer(jwt, clock).issue("operator", null, roles, List.of(), Duration.ofHours(1));
    }

    @Test
    void listsDeadLettersNewestFirstWithTheBodyToFixAndResend() throws Exception {
        letter("nats:S:1", "nats", "{\"recipients\": [\"ann\"");
        letter("redis:2", "redis", "not json");

        HttpResponse r = call(Map.of(), API_KEY);

        assertThat(r.status()).isEqualTo(200);
        JsonNode page = json(r);
        assertThat(ids(page)).containsExactly("redis:2", "nats:S:1");
        assertThat(page.get("deadLetters").get(1)).isEqualTo(JSON.readTree("{\"id\":\"nats:S:1\",\"source\":\"nats\","
                + "\"subject\":\"notifications.orders\",\"messageKey\":\"key-nats:S:1\","
                + "\"reason\":\"INVALID_ARGUMENT: not JSON (3 bytes)\",\"receivedAt\":\"2026-12-02T10:00:00Z\","
                + "\"body\":\"{\\\"recipients\\\": [\\\"ann\\\"\"}"));
    }

    @Test
    void aMessageWithoutAKeyHasANullMessageKey() throws Exception {
        letters.record(new DeadLetter("redis:3", "redis", "notifications:send", null, "INVALID_ARGUMENT: type: required", "{}",
                clock.instant()));

        JsonNode row = json(call(Map.of(), API_KEY)).get("deadLetters").get(0);

        assertThat(row.get("messageKey").isNull()).isTrue();
    }

    @Test
    void filtersBySourceAndHonoursTheLimit() throws Exception {
        letter("nats:S:1", "nats", "a");
        letter("redis:2", "redis", "b");
        letter("nats:S:3", "nats", "c");

        assertThat(ids(json(call(Map.of("source", "nats"), API_KEY)))).containsExactly("nats:S:3", "nats:S:1");
        assertThat(ids(json(call(Map.of("source", "redis-stream"), API_KEY)))).isEmpty();
        assertThat(ids(json(call(Map.of("limit", "2"), API_KEY)))).containsExactly("nats:S:3", "redis:2");
        assertThat(ids(json(call(Map.of("limit", "200", "source", " "), API_KEY)))).hasSize(3);
    }

    @Test
    void refusesABadLimitOrSourceWithACodedBadRequest() throws Exception {
        for (String limit : List.of("0", "201", "-1", "ten", "1.5")) {
            HttpResponse r = call(Map.of("limit", limit), API_KEY);
            assertThat(r.status()).as(limit).isEqualTo(400);
            assertThat(json(r).path("error").path("code").asText()).as(limit).isEqualTo("INVALID_ARGUMENT");
            assertThat(json(r).path("error").path("message").asText()).contains("limit: must be a whole number between 1 and 200");
        }
        HttpResponse r = call(Map.of("source", "NATS;drop"), API_KEY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("error").path("message").asText()).startsWith("source: ");
    }

    @Test
    void onlyAnAdminOrAServiceMayReadThem() throws Exception {
        letter("nats:S:1", "nats", "secret body");

        assertThat(call(Map.of(), null).status()).isEqualTo(401);
        assertThat(call(Map.of(), "not-a-key").status()).isEqualTo(401);
        HttpResponse user = call(Map.of(), token(List.of()));
        assertThat(user.status()).isEqualTo(403);
        assertThat(new String(user.body(), StandardCharsets.UTF_8)).doesNotContain("secret body");
        assertThat(call(Map.of(), token(List.of("admin"))).status()).isEqualTo(200);
    }

    @Test
    void answersOnlyItsOwnPathAndOnlyGet() {
        assertThat(service.handle(new HttpRequest("GET", "/api/v1/admin/deliveries", Map.of(), Map.of(), null, "127.0.0.1"))).isEmpty();
        HttpResponse post = service.handle(new HttpRequest("POST", IngestDeadLettersHttpService.PATH, Map.of(),
                Map.of("authorization", "Bearer " + API_KEY), null, "127.0.0.1")).orElseThrow();
        assertThat(post.status()).isEqualTo(405);
        assertThat(service.handle(new HttpRequest("GET", "/api/admin/ingest/dead-letters", Map.of(),
                Map.of("authorization", "Bearer " + API_KEY), null, "127.0.0.1")).orElseThrow().status()).isEqualTo(200);
    }
}
