package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The REST inbox over the real pipeline: core's NotificationPipeline and InboxService on the memory store, a Hub on
 * the memory broker, and fake tabs joined to {@code user:{id}} to watch live emission. The clock
 * moves by hand; the scheduler thread is not started, tests release due rows themselves.
 */
abstract class InboxRestFixture {
    static final String API_KEY = "inbox-rest-test-key-0123456789";
    static final String SECRET = "inbox-rest-test-secret-long-enough-hs256";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final Hub hub = new Hub(new MemoryBroker());
    final MemoryNotificationStore store = new MemoryNotificationStore();
    final NotificationPipeline notifications =
            new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults());
    final InboxService inbox = new InboxService(store.storage(), new LiveNotifier(hub), clock);
    final ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY));
    final NotificationsHttpService rest = new NotificationsHttpService(notifications, inbox, auth);

    InboxRestFixture() {
        hub.start();
    }

    @AfterEach
    void closeService() {
        notifications.close();
    }

    FakeSession tab(String userId) {
        FakeSession s = FakeSession.of(userId, "team");
        hub.join(s, LiveNotifier.userRoom(userId));
        return s;
    }

    String userToken(String userId) {
        return new TokenIssuer(jwt, clock).issue(userId, "team", List.of(), List.of(), Duration.ofDays(7));
    }

    String serviceToken(String name) {
        return new TokenIssuer(jwt, clock).issue(name, null, List.of("service"), List.of(), Duration.ofDays(7));
    }

    static HttpRequest request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                               byte[] body) {
        return new HttpRequest(method, path, query, headers, body, "127.0.0.1");
    }

    static byte[] bytes(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }

    Optional<HttpResponse> handle(String method, String path, Map<String, List<String>> query, String bearer,
                                  Map<String, String> extraHeaders, String body) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (bearer != null) headers.put("authorization", "Bearer " + bearer);
        if (body != null) headers.put("content-type", "application/json");
        return rest.handle(request(method, path, query, headers, bytes(body)));
    }

    HttpResponse asService(String method, String path, String body) {
        return asService(method, path, Map.of(), Map.of(), body);
    }

    HttpResponse asService(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                           String body) {
        return handle(method, path, query, API_KEY, headers, body).orElseThrow();
    }

    HttpResponse asUser(String userId, String method, String path) {
        return asUser(userId, method, path, Map.of());
    }

    HttpResponse asUser(String userId, String method, String path, Map<String, List<String>> query) {
        return handle(method, path, query, userToken(userId), Map.of(), null).orElseThrow();
    }

    /** Creates one notification for the user as a service and returns its id. */
    String create(String userId, String extraFields) throws Exception {
        String body = "{\"type\":\"order_status\",\"recipients\":[\"" + userId + "\"],\"title\":\"Order Updated\","
                + "\"message\":\"Your order has been shipped\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
        HttpResponse r = asService("POST", "/api/v1/notifications", body);
        assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return json(r).get("ids").get(0).asText();
    }

    String create(String userId) throws Exception {
        return create(userId, "");
    }

    static JsonNode json(HttpResponse response) throws Exception {
        assertThat(response.contentType()).isEqualTo("application/json");
        return JSON.readTree(response.body());
    }

    static String errorCode(HttpResponse response) throws Exception {
        return json(response).path("error").path("code").asText();
    }

    static String errorMessage(HttpResponse response) throws Exception {
        return json(response).path("error").path("message").asText();
    }

    static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) q.put(pairs[i], List.of(pairs[i + 1]));
        return q;
    }
}
