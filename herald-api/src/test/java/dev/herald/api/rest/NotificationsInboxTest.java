package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.testing.FakeSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The user side of the REST inbox: listing, reading, deleting, and who may touch which inbox. */
class NotificationsInboxTest extends InboxRestFixture {
    static final String INBOX = "/api/v1/notifications";

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("notifications").spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    @Test
    void listsTheUsersOwnInboxNewestFirstWithPaginationAndTheUnreadCount() throws Exception {
        String first = create("alice");
        clock.advance(Duration.ofSeconds(1));
        String second = create("alice");
        clock.advance(Duration.ofSeconds(1));
        String third = create("alice");
        create("bob");

        JsonNode page1 = json(asUser("alice", "GET", INBOX, query("limit", "2")));
        JsonNode page2 = json(asUser("alice", "GET", INBOX, query("limit", "2", "page", "2")));

        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(page1.get("pagination")).isEqualTo(JSON.readTree("{\"page\":1,\"limit\":2,\"total\":3,\"hasMore\":true}"));
        assertThat(page1.get("unreadCount").asInt()).isEqualTo(3);
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.get("pagination").get("hasMore").asBoolean()).isFalse();
    }

    @Test
    void listsTwentyByDefault() throws Exception {
        create("alice");

        JsonNode page = json(asUser("alice", "GET", INBOX));

        assertThat(page.get("pagination").get("limit").asInt()).isEqualTo(20);
        assertThat(page.get("pagination").get("page").asInt()).isEqualTo(1);
    }

    @Test
    void listsOnlyUnreadNotificationsWhenAsked() throws Exception {
        String read = create("alice");
        String unread = create("alice");
        asUser("alice", "PUT", INBOX + "/" + read + "/read");

        JsonNode page = json(asUser("alice", "GET", INBOX, query("unreadOnly", "true")));

        assertThat(ids(page)).containsExactly(unread);
        assertThat(page.get("pagination").get("total").asInt()).isEqualTo(1);
        assertThat(page.get("unreadCount").asInt()).isEqualTo(1);
    }

    @Test
    void filtersByChannelAndByType() throws Exception {
        String orders = create("alice", "\"channel\":\"orders\"");
        String mention = asCreated("{\"type\":\"mention\",\"recipients\":[\"alice\"],\"title\":\"@alice\"}");

        assertThat(ids(json(asUser("alice", "GET", INBOX, query("channel", "orders"))))).containsExactly(orders);
        assertThat(ids(json(asUser("alice", "GET", INBOX, query("type", "mention"))))).containsExactly(mention);
    }

    private String asCreated(String body) throws Exception {
        return json(asService("POST", INBOX, body)).get("ids").get(0).asText();
    }

    @ParameterizedTest
    @CsvSource({"limit,101", "limit,0", "limit,ten", "page,0", "page,x", "unreadOnly,maybe"})
    void refusesABadQueryParameterWith400NamingIt(String name, String value) throws Exception {
        HttpResponse r = asUser("alice", "GET", INBOX, query(name, value));

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("INVALID_ARGUMENT");
        assertThat(errorMessage(r)).startsWith(name + ":");
    }

    @Test
    void getsOneNotificationInTheRestShape() throws Exception {
        String id = create("alice", "\"channel\":\"orders\",\"priority\":\"high\",\"data\":{\"orderId\":\"12345\"}");

        HttpResponse r = asUser("alice", "GET", INBOX + "/" + id);

        assertThat(r.status()).isEqualTo(200);
        JsonNode n = json(r);
        assertThat(n.get("id").asText()).isEqualTo(id);
        assertThat(n.get("type").asText()).isEqualTo("order_status");
        assertThat(n.get("title").asText()).isEqualTo("Order Updated");
        assertThat(n.get("message").asText()).isEqualTo("Your order has been shipped");
        assertThat(n.get("channel").asText()).isEqualTo("orders");
        assertThat(n.get("priority").asText()).isEqualTo("high");
        assertThat(n.get("timestamp").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(n.get("createdAt").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(n.get("data")).isEqualTo(JSON.readTree("{\"orderId\":\"12345\"}"));
        assertThat(n.get("readAt").isNull()).isTrue();
        assertThat(n.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void answers404NotFoundNot403ForAnotherUsersNotification() throws Exception {
        String alices = create("alice");

        List<HttpResponse> answers = List.of(
                asUser("bob", "GET", INBOX + "/" + alices),
                asUser("bob", "PUT", INBOX + "/" + alices + "/read"),
                asUser("bob", "PATCH", INBOX + "/" + alices + "/read"),
                asUser("bob", "DELETE", INBOX + "/" + alices));

        for (HttpResponse r : answers) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
        }
        assertThat(json(asUser("alice", "GET", INBOX + "/" + alices)).get("readAt").isNull()).isTrue();
    }

    @Test
    void marksReadWithPutAndTellsEveryTabOfTheUser() throws Exception {
        String id = create("alice");
        FakeSession tab = tab("alice");
        clock.advance(Duration.ofMinutes(1));

        HttpResponse r = asUser("alice", "PUT", INBOX + "/" + id + "/read");

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("readAt").asText()).isEqualTo("2026-11-24T10:01:00Z");
        assertThat(json(r).get("status").asText()).isEqualTo("read");
        JsonNode status = JSON.readTree(tab.sent(LiveNotifier.NOTIFICATION_STATUS).getFirst().json());
        assertThat(status.get("notificationId").asText()).isEqualTo(id);
        assertThat(status.get("status").asText()).isEqualTo("read");
    }

    @Test
    void marksReadWithPatchKeepingTheFirstReadTime() throws Exception {
        String id = create("alice");
        asUser("alice", "PATCH", INBOX + "/" + id + "/read");
        clock.advance(Duration.ofMinutes(5));

        HttpResponse again = asUser("alice", "PATCH", INBOX + "/" + id + "/read");

        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("readAt").asText()).isEqualTo("2026-11-24T10:00:00Z");
    }

    @Test
    void marksEveryUnreadNotificationReadAndSaysHowMany() throws Exception {
        create("alice");
        create("alice");
        create("bob");

        JsonNode first = json(asUser("alice", "POST", INBOX + "/read-all"));
        JsonNode second = json(asUser("alice", "POST", INBOX + "/read-all"));

        assertThat(first).isEqualTo(JSON.readTree("{\"updated\":2}"));
        assertThat(second).isEqualTo(JSON.readTree("{\"updated\":0}"));
        assertThat(json(asUser("bob", "GET", INBOX)).get("unreadCount").asInt()).isEqualTo(1);
    }

    @Test
    void deletesWith204AndTellsEveryTab() throws Exception {
        String id = create("alice");
        FakeSession tab = tab("alice");

        HttpResponse r = asUser("alice", "DELETE", INBOX + "/" + id);

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(asUser("alice", "GET", INBOX + "/" + id).status()).isEqualTo(404);
        assertThat(JSON.readTree(tab.sent(LiveNotifier.NOTIFICATION_STATUS).getFirst().json())
                .get("status").asText()).isEqualTo("deleted");
    }

    @Test
    void letsAServiceActOnTheInboxNamedByUserId() throws Exception {
        String id = create("alice");

        HttpResponse list = asService("GET", INBOX, query("userId", "alice"), Map.of(), null);
        HttpResponse read = asService("PUT", INBOX + "/" + id + "/read", query("userId", "alice"), Map.of(), null);

        assertThat(ids(json(list))).containsExactly(id);
        assertThat(read.status()).isEqualTo(200);
    }

    @Test
    void asksAServiceToNameTheInbox() throws Exception {
        HttpResponse r = asService("GET", INBOX, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(errorMessage(r)).startsWith("userId:");
    }

    @Test
    void refusesAUserNamingAnotherUsersInboxWith403() throws Exception {
        HttpResponse r = asUser("bob", "GET", INBOX, query("userId", "alice"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
    }

    @Test
    void letsAUserNameTheirOwnInbox() throws Exception {
        assertThat(asUser("alice", "GET", INBOX, query("userId", "alice")).status()).isEqualTo(200);
    }

    @Test
    void refusesAnAnonymousOrBadlySignedCallerWith401() throws Exception {
        HttpResponse none = handle("GET", INBOX, Map.of(), null, Map.of(), null).orElseThrow();
        String forged = userToken("alice");
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
        HttpResponse bad = handle("GET", INBOX, Map.of(), forged, Map.of(), null).orElseThrow();

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).containsEntry("WWW-Authenticate", "Bearer");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(errorCode(bad)).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void holdsAScheduledNotificationBackUntilItIsDue() throws Exception {
        FakeSession tab = tab("alice");

        HttpResponse r = asService("POST", INBOX, "{\"type\":\"t\",\"recipients\":[\"alice\"],\"title\":\"Later\","
                + "\"scheduledAt\":\"2026-11-24T11:00:00+00:00\"}");
        String id = json(r).get("ids").get(0).asText();

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("notifications").get(0).get("status").asText()).isEqualTo("scheduled");
        assertThat(tab.sent()).isEmpty();
        assertThat(json(asUser("alice", "GET", INBOX)).get("notifications")).isEmpty();
        assertThat(asUser("alice", "GET", INBOX + "/" + id).status()).isEqualTo(404);

        clock.advance(Duration.ofHours(1));
        notifications.releaseDue();

        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(ids(json(asUser("alice", "GET", INBOX)))).containsExactly(id);
    }

    @Test
    void stopsListingANotificationOnceItExpired() throws Exception {
        String id = create("alice", "\"expiresAt\":\"2026-11-24T11:00:00Z\"");
        assertThat(ids(json(asUser("alice", "GET", INBOX)))).containsExactly(id);

        clock.advance(Duration.ofHours(2));

        assertThat(json(asUser("alice", "GET", INBOX)).get("notifications")).isEmpty();
        assertThat(asUser("alice", "GET", INBOX + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void answers405WithAllowForAWrongMethodOnAKnownPath() throws Exception {
        HttpResponse bulk = asUser("alice", "GET", INBOX + "/bulk");
        HttpResponse readAll = asUser("alice", "GET", INBOX + "/read-all");
        HttpResponse read = asUser("alice", "POST", INBOX + "/some-id/read");
        HttpResponse user = asService("GET", "/api/v1/users/alice", null);

        assertThat(bulk.status()).isEqualTo(405);
        assertThat(bulk.headers()).containsEntry("Allow", "POST");
        assertThat(readAll.headers()).containsEntry("Allow", "POST");
        assertThat(read.headers()).containsEntry("Allow", "PUT, PATCH");
        assertThat(user.status()).isEqualTo(405);
        assertThat(user.headers()).containsEntry("Allow", "DELETE");
    }

    @Test
    void leavesPathsItDoesNotRouteToOtherServices() {
        assertThat(handle("GET", "/api/v1/realtime/stats", Map.of(), API_KEY, Map.of(), null)).isEmpty();
        assertThat(handle("GET", "/api/v1/notifications/a/b/c", Map.of(), API_KEY, Map.of(), null)).isEmpty();
        assertThat(handle("GET", "/api/v1/users/alice/devices", Map.of(), API_KEY, Map.of(), null)).isEmpty();
        assertThat(handle("GET", "/api/v1/notificationsX", Map.of(), API_KEY, Map.of(), null)).isEmpty();
        assertThat(handle("GET", "/health", Map.of(), null, Map.of(), null)).isEmpty();
    }

    @Test
    void answersSeed001ClientsUnderTheUnversionedPath() throws Exception {
        String id = create("alice");

        HttpResponse r = asUser("alice", "GET", "/api/notifications");

        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(json(r))).containsExactly(id);
    }
}
