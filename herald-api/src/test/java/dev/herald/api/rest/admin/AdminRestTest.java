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
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.Priority;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The admin delivery routes over the memory outbox and delivery log. */
class AdminRestTest {
    static final String API_KEY = "admin-rest-test-key-0123456789";
    static final String SECRET = "admin-rest-test-secret-long-enough-hs256";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final MemoryNotificationStore store = new MemoryNotificationStore();
    final Storage storage = store.storage();
    final NotificationIds ids = new NotificationIds();
    final ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY));
    final AdminHttpService admin = new AdminHttpService(storage.outbox(), storage.deliveryLog(),
            () -> new ConnectionStats(7, 5, 2, Map.of("t1", 7), Map.of("websocket", 5, "polling", 2)), auth, clock);

    private String token(String user, List<String> roles) {
        return new TokenIssuer(jwt, clock).issue(user, null, roles, List.of(), Duration.ofDays(1));
    }

    private HttpResponse call(String method, String path, Map<String, List<String>> query, String bearer) {
        Map<String, String> headers = new HashMap<>();
        if (bearer != null) headers.put("authorization", "Bearer " + bearer);
        return admin.handle(new HttpRequest(method, path, query, headers, null, "127.0.0.1")).orElseThrow();
    }

    private HttpResponse asService(String method, String path, Map<String, List<String>> query) {
        return call(method, path, query, API_KEY);
    }

    private static JsonNode json(HttpResponse r) throws Exception {
        return JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) q.put(pairs[i], List.of(pairs[i + 1]));
        return q;
    }

    /** Stores one delivery of a new notification (or of {@code notificationId}) and returns it. */
    private Delivery delivery(String notificationId, Channel channel, DeliveryStatus status, Priority priority) {
        Instant now = clock.instant();
        Delivery d = new Delivery(ids.next(now),
                new Delivery.Target(notificationId, "alice", "comment", channel, priority, Delivery.Kind.STANDARD, null),
                new Delivery.State(status, status == DeliveryStatus.DEAD ? "smtp 550 mailbox unavailable" : null,
                        status == DeliveryStatus.DEAD ? 3 : 0, now, null, now),
                "{}", now);
        store.save(new NotificationBatch(List.of(notificationId), List.of(), List.of(d)), null, now);
        clock.advance(Duration.ofMillis(5));
        return d;
    }

    private Delivery delivery(Channel channel, DeliveryStatus status) {
        return delivery(ids.next(clock.instant()), channel, status, Priority.MEDIUM);
    }

    private static List<String> idsOf(JsonNode page) {
        return StreamSupport.stream(page.get("deliveries").spliterator(), false).map(d -> d.get("id").asText()).toList();
    }

    @Test
    void listsDeliveriesNewestFirst() throws Exception {
        Delivery older = delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        Delivery newer = delivery(Channel.PUSH, DeliveryStatus.PENDING);

        JsonNode page = json(asService("GET", "/api/v1/admin/deliveries", Map.of()));

        assertThat(idsOf(page)).containsExactly(newer.id(), older.id());
        assertThat(page.get("nextBefore").isNull()).isTrue();
    }

    @Test
    void writesADeliveryWithItsTargetAndState() throws Exception {
        Delivery d = delivery(Channel.EMAIL, DeliveryStatus.DEAD);

        JsonNode row = json(asService("GET", "/api/v1/admin/deliveries", Map.of())).get("deliveries").get(0);

        assertThat(row).isEqualTo(JSON.readTree("{\"id\":\"" + d.id() + "\",\"notificationId\":\"" + d.target().notificationId()
                + "\",\"recipientId\":\"alice\",\"type\":\"comment\",\"channel\":\"email\",\"priority\":\"medium\","
                + "\"kind\":\"standard\",\"status\":\"dead\",\"reason\":\"smtp 550 mailbox unavailable\",\"attempts\":3,"
                + "\"dueAt\":\"2026-11-24T10:00:00Z\",\"createdAt\":\"2026-11-24T10:00:00Z\",\"updatedAt\":\"2026-11-24T10:00:00Z\"}"));
    }

    @Test
    void filtersByStatusAndChannel() throws Exception {
        Delivery deadEmail = delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        delivery(Channel.PUSH, DeliveryStatus.DEAD);
        delivery(Channel.EMAIL, DeliveryStatus.SENT);

        JsonNode page = json(asService("GET", "/api/v1/admin/deliveries", query("status", "dead", "channel", "email")));

        assertThat(idsOf(page)).containsExactly(deadEmail.id());
    }

    @Test
    void pagesWithNextBefore() throws Exception {
        Delivery a = delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        Delivery b = delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        Delivery c = delivery(Channel.EMAIL, DeliveryStatus.DEAD);

        JsonNode first = json(asService("GET", "/api/v1/admin/deliveries", query("limit", "2")));
        JsonNode second = json(asService("GET", "/api/v1/admin/deliveries",
                query("limit", "2", "before", first.get("nextBefore").asText())));

        assertThat(idsOf(first)).containsExactly(c.id(), b.id());
        assertThat(idsOf(second)).containsExactly(a.id());
        assertThat(second.get("nextBefore").isNull()).isTrue();
    }

    @Test
    void refusesAnUnknownStatusNamingTheField() throws Exception {
        HttpResponse r = asService("GET", "/api/v1/admin/deliveries", query("status", "lost"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).startsWith("status: unknown status 'lost'");
    }

    @Test
    void refusesAnUnknownChannelNamingTheField() throws Exception {
        HttpResponse r = asService("GET", "/api/v1/admin/deliveries", query("channel", "fax"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).startsWith("channel: unknown channel 'fax'");
    }

    @Test
    void refusesALimitOutOfRangeNamingTheField() throws Exception {
        HttpResponse r = asService("GET", "/api/v1/admin/deliveries", query("limit", "201"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).startsWith("limit: must be a whole number between 1 and 200");
    }

    @Test
    void replaysADeadLetter() throws Exception {
        Delivery dead = delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        clock.advance(Duration.ofMinutes(5));

        HttpResponse r = asService("POST", "/api/v1/admin/deliveries/" + dead.id() + "/replay", Map.of());

        assertThat(r.status()).isEqualTo(200);
        JsonNode d = json(r);
        assertThat(d.get("status").asText()).isEqualTo("pending");
        assertThat(d.get("attempts").asInt()).isZero();
        assertThat(d.get("dueAt").asText()).isEqualTo(clock.instant().toString());
    }

    @Test
    void replayingAnUnknownDeliveryIsNotFound() throws Exception {
        HttpResponse r = asService("POST", "/api/v1/admin/deliveries/" + ids.next(clock.instant()) + "/replay", Map.of());

        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void replayingADeliveryThatIsNeitherDeadNorFailedIsAConflict() throws Exception {
        Delivery sent = delivery(Channel.EMAIL, DeliveryStatus.SENT);

        HttpResponse r = asService("POST", "/api/v1/admin/deliveries/" + sent.id() + "/replay", Map.of());

        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("CONFLICT");
    }

    @Test
    void listsTheDeliveriesOfANotificationWithTheirAttempts() throws Exception {
        String notification = ids.next(clock.instant());
        Delivery email = delivery(notification, Channel.EMAIL, DeliveryStatus.DEAD, Priority.HIGH);
        Delivery push = delivery(notification, Channel.PUSH, DeliveryStatus.SENT, Priority.HIGH);
        Instant at = clock.instant();
        storage.deliveryLog().append(new DeliveryAttempt(email.id(), email.target(), 1, DeliveryStatus.PENDING, "smtp",
                Duration.ofMillis(120), "timeout", clock.instant()));
        storage.deliveryLog().append(new DeliveryAttempt(email.id(), email.target(), 2, DeliveryStatus.DEAD, "smtp",
                Duration.ofMillis(80), "550 mailbox unavailable", at));
        storage.deliveryLog().append(new DeliveryAttempt(push.id(), push.target(), 1, DeliveryStatus.SENT, "fcm",
                Duration.ofMillis(40), null, clock.instant()));
        delivery(Channel.EMAIL, DeliveryStatus.DEAD);

        JsonNode out = json(asService("GET", "/api/v1/notifications/" + notification + "/deliveries", Map.of()));

        assertThat(idsOf(out)).containsExactly(email.id(), push.id());
        JsonNode history = out.get("deliveries").get(0).get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(1)).isEqualTo(JSON.readTree("{\"attempt\":2,\"outcome\":\"dead\",\"provider\":\"smtp\","
                + "\"latencyMs\":80,\"error\":\"550 mailbox unavailable\",\"at\":\"" + at + "\"}"));
        assertThat(out.get("deliveries").get(1).get("history")).hasSize(1);
    }

    @Test
    void aNotificationWithNoDeliveriesHasAnEmptyList() throws Exception {
        JsonNode out = json(asService("GET", "/api/v1/notifications/" + ids.next(clock.instant()) + "/deliveries", Map.of()));

        assertThat(out.get("deliveries")).isEmpty();
    }

    @Test
    void statsCountConnectionsDeliveriesQueueAndDeadLetters() throws Exception {
        delivery(ids.next(clock.instant()), Channel.EMAIL, DeliveryStatus.PENDING, Priority.HIGH);
        delivery(Channel.EMAIL, DeliveryStatus.DEAD);
        delivery(Channel.SMS, DeliveryStatus.DEAD);
        clock.advance(Duration.ofSeconds(30));

        JsonNode s = json(asService("GET", "/api/v1/admin/stats", Map.of()));

        assertThat(s.get("connections")).isEqualTo(JSON.readTree("{\"total\":7,\"websocket\":5,\"polling\":2}"));
        assertThat(s.get("deliveries")).isEqualTo(JSON.readTree("{\"email\":{\"pending\":1,\"dead\":1},\"sms\":{\"dead\":1}}"));
        assertThat(s.get("queue").get("high")).isEqualTo(JSON.readTree("{\"due\":1,\"oldestDueAgeMs\":30015}"));
        assertThat(s.get("queue").get("low").get("due").asInt()).isZero();
        assertThat(s.get("deadLetters").asInt()).isEqualTo(2);
    }

    @Test
    void anAdminTokenMayCall() throws Exception {
        assertThat(call("GET", "/api/v1/admin/stats", Map.of(), token("ops", List.of("admin"))).status()).isEqualTo(200);
    }

    @Test
    void aUserTokenIsForbidden() throws Exception {
        assertThat(call("GET", "/api/v1/admin/deliveries", Map.of(), token("alice", List.of())).status()).isEqualTo(403);
    }

    @Test
    void aUserMayNotReadTheDeliveriesOfTheirOwnNotification() throws Exception {
        Delivery d = delivery(Channel.EMAIL, DeliveryStatus.SENT);

        HttpResponse r = call("GET", "/api/v1/notifications/" + d.target().notificationId() + "/deliveries", Map.of(),
                token("alice", List.of()));

        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void answersUnderTheUnversionedPathToo() throws Exception {
        assertThat(asService("GET", "/api/admin/stats", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void leavesOtherNotificationPathsToTheNextService() {
        assertThat(admin.handle(new HttpRequest("GET", "/api/v1/notifications/abc", Map.of(), Map.of(), null, "127.0.0.1"))).isEmpty();
    }
}
