package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealtimeHttpServiceTest {
    static final String API_KEY = "rest-test-key-0123456789";
    static final String SECRET = "rest-test-secret-long-enough-for-hs256!!";
    static final ObjectMapper JSON = new ObjectMapper();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    final Hub hub = startedHub();
    final RealtimeHttpService rest = new RealtimeHttpService(
            new LiveEvents(hub, presence, clock, new LiveEventsConfig(1000, 100, Duration.ofSeconds(5))),
            new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY)));

    static Hub startedHub() {
        Hub hub = new Hub(new MemoryBroker());
        hub.start();
        return hub;
    }

    FakeSession connect(String userId, String teamId, Transport transport) {
        FakeSession s = new FakeSession(Principal.user(userId, teamId), transport);
        presence.register(new ConnectionInfo(s.id(), userId, teamId, transport, "n1", clock.instant()));
        hub.join(s, "user:" + userId);
        if (teamId != null) hub.join(s, "team:" + teamId);
        return s;
    }

    FakeSession connect(String userId, String teamId) {
        return connect(userId, teamId, Transport.WEBSOCKET);
    }

    static HttpRequest request(String method, String path, Map<String, List<String>> query, Map<String, String> headers, String body) {
        return new HttpRequest(method, path, query, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    HttpResponse call(String method, String path, String body) {
        return call(method, path, Map.of(), body);
    }

    HttpResponse call(String method, String path, Map<String, List<String>> query, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Bearer " + API_KEY);
        headers.put("content-type", "application/json");
        return rest.handle(request(method, path, query, headers, body)).orElseThrow();
    }

    static JsonNode json(HttpResponse response) throws Exception {
        assertThat(response.contentType()).isEqualTo("application/json");
        return JSON.readTree(response.body());
    }

    static String errorCode(HttpResponse response) throws Exception {
        return json(response).path("error").path("code").asText();
    }

    @Test
    void sendsAnEventToEveryTabOfTheUser() throws Exception {
        FakeSession tab1 = connect("u1", "t1"), tab2 = connect("u1", "t1");

        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events",
                "{\"eventType\":\"notification\",\"payload\":{\"id\":\"n1\"},\"correlationId\":\"c-1\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(JSON.readTree("{\"delivered\":true,\"connectionCount\":2}"));
        assertThat(tab1.sent("notification")).singleElement().extracting(e -> e.json()).isEqualTo("{\"id\":\"n1\"}");
        assertThat(tab2.sentNames()).containsExactly("notification");
    }

    @Test
    void acceptsThePayloadAsJsonTextLikeGrpc() throws Exception {
        FakeSession tab = connect("u1", null);

        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events", "{\"eventType\":\"e\",\"payloadJson\":\"[1,2]\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(tab.sent("e")).singleElement().extracting(e -> e.json()).isEqualTo("[1,2]");
    }

    @Test
    void sendsToManyUsers() throws Exception {
        connect("a", "t");
        connect("b", "t");

        HttpResponse r = call("POST", "/api/v1/realtime/users/events", "{\"userIds\":[\"a\",\"b\",\"c\"],\"eventType\":\"e\",\"payload\":1}");

        assertThat(json(r)).isEqualTo(JSON.readTree(
                "{\"totalUsers\":3,\"deliveredCount\":2,\"connectionsByUser\":{\"a\":1,\"b\":1,\"c\":0}}"));
    }

    @Test
    void broadcastsToARoomLeavingOutExcludedUsers() throws Exception {
        FakeSession a = connect("a", "t1"), b = connect("b", "t1");

        HttpResponse r = call("POST", "/api/v1/realtime/rooms/team%3At1/events",
                "{\"eventType\":\"announce\",\"payload\":{},\"excludeUserIds\":[\"a\"]}");

        assertThat(json(r)).isEqualTo(JSON.readTree("{\"delivered\":true,\"recipientCount\":1}"));
        assertThat(a.sent()).isEmpty();
        assertThat(b.sentNames()).containsExactly("announce");
    }

    @Test
    void reportsWhetherAUserIsConnected() throws Exception {
        FakeSession s = connect("u1", null);

        JsonNode body = json(call("GET", "/api/v1/realtime/users/u1", null));

        assertThat(body.get("isConnected").asBoolean()).isTrue();
        assertThat(body.get("connectionCount").asInt()).isEqualTo(1);
        assertThat(body.get("socketIds").get(0).asText()).isEqualTo(s.id());
    }

    @Test
    void reportsStatsForOneTeam() throws Exception {
        connect("a", "t1", Transport.WEBSOCKET);
        connect("b", "t1", Transport.POLLING);
        connect("c", "t2", Transport.WEBSOCKET);

        JsonNode all = json(call("GET", "/api/v1/realtime/stats", null));
        JsonNode t1 = json(call("GET", "/api/v1/realtime/stats", Map.of("teamId", List.of("t1")), null));

        assertThat(all.get("totalConnections").asInt()).isEqualTo(3);
        assertThat(all.get("connectionsByTransport").get("polling").asInt()).isEqualTo(1);
        assertThat(all.get("connectionsByTeam").get("t2").asInt()).isEqualTo(1);
        assertThat(t1.get("totalConnections").asInt()).isEqualTo(2);
        assertThat(t1.get("websocketConnections").asInt()).isEqualTo(1);
    }

    @Test
    void disconnectsAUserWithTheReasonFromTheBodyOrTheQuery() throws Exception {
        FakeSession s1 = connect("u1", null), s2 = connect("u2", null);

        HttpResponse byBody = call("DELETE", "/api/v1/realtime/users/u1", "{\"reason\":\"banned\"}");
        HttpResponse byQuery = call("DELETE", "/api/v1/realtime/users/u2", Map.of("reason", List.of("maintenance")), null);

        assertThat(json(byBody).get("disconnectedCount").asInt()).isEqualTo(1);
        assertThat(json(byQuery).get("disconnectedCount").asInt()).isEqualTo(1);
        assertThat(s1.closedWith().message()).isEqualTo("banned");
        assertThat(s2.closedWith().message()).isEqualTo("maintenance");
    }

    @Test
    void refusesMalformedJsonWith400InvalidArgument() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events", "{\"eventType\":");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void refusesAReservedEventNameWith400InvalidEventType() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events", "{\"eventType\":\"connect\",\"payload\":{}}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_EVENT_TYPE");
        assertThat(json(r).path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void refusesAnOversizedPayloadWith413() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events",
                "{\"eventType\":\"e\",\"payload\":\"" + "x".repeat(2000) + "\"}");

        assertThat(r.status()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void refusesWrongFieldTypesWith400() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/users/events", "{\"userIds\":\"a\",\"eventType\":\"e\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void refusesMissingCredentialsWith401() throws Exception {
        HttpResponse r = rest.handle(request("GET", "/api/v1/realtime/stats", Map.of(), Map.of(), null)).orElseThrow();

        assertThat(r.status()).isEqualTo(401);
        assertThat(errorCode(r)).isEqualTo("UNAUTHENTICATED");
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer");
    }

    @Test
    void refusesAUserTokenWith403() throws Exception {
        String token = new TokenIssuer(jwt, clock).issue("u1", "t1", List.of(), List.of(), Duration.ofMinutes(5));

        HttpResponse r = rest.handle(request("GET", "/api/v1/realtime/users/u1", Map.of(),
                Map.of("authorization", "Bearer " + token), null)).orElseThrow();

        assertThat(r.status()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
    }

    @Test
    void acceptsTheApiKeyHeader() {
        HttpResponse r = rest.handle(request("GET", "/api/v1/realtime/stats", Map.of(), Map.of("x-api-key", API_KEY), null)).orElseThrow();

        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void answers404ForAnUnknownPathUnderItsPrefixAnd405ForAWrongMethod() throws Exception {
        HttpResponse unknown = call("GET", "/api/v1/realtime/nothing", null);
        HttpResponse wrongMethod = call("GET", "/api/v1/realtime/users/u1/events", null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void leavesOtherPathsToOtherServices() {
        assertThat(rest.handle(request("GET", "/api/v1/notifications", Map.of(), Map.of(), null))).isEmpty();
        assertThat(rest.handle(request("GET", "/health", Map.of(), Map.of(), null))).isEmpty();
    }

    @Test
    void refusesNulInAnEventPayloadNamingItsPath() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/users/u1/events",
                "{\"eventType\":\"chat\",\"payload\":{\"text\":\"hi\\u0000\"}}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(json(r).path("error").path("message").asText()).startsWith("payload.text: ");
    }

    @Test
    void refusesNulInARoomInThePath() throws Exception {
        HttpResponse r = call("POST", "/api/v1/realtime/rooms/team:%00x/events", "{\"eventType\":\"chat\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("error").path("message").asText()).startsWith("room: ");
    }

    @Test
    void refusesNulInTheStatsTeamIdParameter() throws Exception {
        HttpResponse r = call("GET", "/api/v1/realtime/stats", Map.of("teamId", List.of("t\u0000")), null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("error").path("message").asText()).startsWith("teamId: ");
    }

    @Test
    void broadcastsToEveryClientButTheExcludedUsers() throws Exception {
        FakeSession a = connect("u1", "t1"), b = connect("u2", null), c = connect("u3", "t2");

        HttpResponse r = call("POST", "/api/v1/realtime/broadcast",
                "{\"eventType\":\"system:announcement\",\"payload\":{\"text\":\"maintenance at 22:00\"},\"excludeUserIds\":[\"u3\"]}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(JSON.readTree("{\"delivered\":true,\"recipientCount\":2}"));
        assertThat(a.sentNames()).containsExactly("system:announcement");
        assertThat(b.sent("system:announcement")).singleElement().extracting(e -> e.json()).isEqualTo("{\"text\":\"maintenance at 22:00\"}");
        assertThat(c.sentNames()).isEmpty();
        assertThat(errorCode(call("POST", "/api/v1/realtime/broadcast", "{\"payload\":1}"))).isEqualTo("INVALID_EVENT_TYPE");
    }
}
