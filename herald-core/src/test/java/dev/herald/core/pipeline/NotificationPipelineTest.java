package dev.herald.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.Pending;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = MutableClock.at("2026-02-01T09:00:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Hub hub = new Hub(new MemoryBroker());
    private final NotificationPipeline service = new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults());
    private final InboxService inbox = new InboxService(store.storage(), new LiveNotifier(hub), clock);

    NotificationPipelineTest() {
        hub.start();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private FakeSession tab(String user) {
        FakeSession s = FakeSession.of(user, "team");
        hub.join(s, LiveNotifier.userRoom(user));
        return s;
    }

    private static JsonNode json(OutboundEvent e) throws Exception {
        return JSON.readTree(e.json());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(HeraldException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    private CreateNotification order(String user) throws Exception {
        return CreateNotification.to(user, "order_status", "Order Updated", "Your order #12345 has been shipped")
                .withChannel("orders").withPriority("high").withData(json("{\"orderId\":\"12345\",\"status\":\"shipped\"}"));
    }

    @Test
    void deliversANewNotificationToEveryTabOfTheRecipientInTheClientShape() throws Exception {
        FakeSession tab1 = tab("alice"), tab2 = tab("alice"), bob = tab("bob");

        Created created = service.create(order("alice"));

        assertThat(tab1.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(tab2.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(bob.sent()).isEmpty();
        JsonNode payload = json(tab1.sent().getFirst());
        assertThat(payload.get("id").asText()).isEqualTo(created.ids().getFirst());
        assertThat(payload.get("type").asText()).isEqualTo("order_status");
        assertThat(payload.get("title").asText()).isEqualTo("Order Updated");
        assertThat(payload.get("message").asText()).isEqualTo("Your order #12345 has been shipped");
        assertThat(payload.get("channel").asText()).isEqualTo("orders");
        assertThat(payload.get("priority").asText()).isEqualTo("high");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-02-01T09:00:00Z");
        assertThat(payload.get("data")).isEqualTo(json("{\"orderId\":\"12345\",\"status\":\"shipped\"}"));
        assertThat(payload.get("readAt").isNull()).isTrue();
    }

    @Test
    void keepsTheNotificationForAUserWhoIsOffline() throws Exception {
        Created created = service.create(order("carol"));

        FakeSession later = tab("carol");

        assertThat(later.sent()).isEmpty();
        assertThat(inbox.pending("carol", 20).notifications()).extracting(Notification::id).containsExactlyElementsOf(created.ids());
    }

    @Test
    void refusesARequestWithoutATypeNamingTheField() {
        assertRefused(() -> service.create(CreateNotification.to("u", null, "t", "m")), ErrorCode.INVALID_ARGUMENT, "type");
    }

    @Test
    void refusesARequestWithoutRecipients() {
        assertRefused(() -> service.create(new CreateNotification(List.of(), "t", "t", "m", null, null, null, null,
                null, null, null, null, null, null)), ErrorCode.INVALID_ARGUMENT, "recipients");
    }

    @Test
    void refusesAnUnknownPriority() {
        assertRefused(() -> service.create(CreateNotification.to("u", "t", "t", "m").withPriority("critical")),
                ErrorCode.INVALID_ARGUMENT, "priority");
    }

    @Test
    void refusesDataThatIsNotAnObject() throws Exception {
        assertRefused(() -> service.create(CreateNotification.to("u", "t", "t", "m").withData(json("[1]"))),
                ErrorCode.INVALID_ARGUMENT, "data");
    }

    @Test
    void refusesAnExpiryInThePast() {
        assertRefused(() -> service.create(CreateNotification.to("u", "t", "t", "m").withSchedule(null, clock.instant().minusSeconds(1))),
                ErrorCode.INVALID_ARGUMENT, "expiresAt");
    }

    @Test
    void answersARetryWithTheSameKeyWithoutASecondNotification() throws Exception {
        FakeSession tab = tab("dan");
        Created first = service.create(order("dan").withIdempotencyKey("req-1", "svc-orders"));

        clock.advance(Duration.ofHours(23));
        Created retry = service.create(order("dan").withIdempotencyKey("req-1", "svc-orders"));

        assertThat(retry.replayed()).isTrue();
        assertThat(retry.ids()).isEqualTo(first.ids());
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(inbox.inbox("dan", 1, 20, false, null, null).total()).isEqualTo(1);
    }

    @Test
    void acceptsTheSameKeyAgainAfterTwentyFourHours() throws Exception {
        service.create(order("eve").withIdempotencyKey("req-2", "svc"));

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        Created again = service.create(order("eve").withIdempotencyKey("req-2", "svc"));

        assertThat(again.replayed()).isFalse();
        assertThat(inbox.inbox("eve", 1, 20, false, null, null).total()).isEqualTo(2);
    }

    @Test
    void refusesAKeyReusedForADifferentRequest() throws Exception {
        service.create(order("fay").withIdempotencyKey("req-3", "svc"));

        assertRefused(() -> service.create(order("gus").withIdempotencyKey("req-3", "svc")), ErrorCode.CONFLICT, "Idempotency-Key");
    }

    @Test
    void keepsKeysOfDifferentCallersApart() throws Exception {
        service.create(order("hal").withIdempotencyKey("same", "svc-a"));

        Created other = service.create(order("hal").withIdempotencyKey("same", "svc-b"));

        assertThat(other.replayed()).isFalse();
    }

    @Test
    void holdsAScheduledNotificationAndSendsItWhenDue() throws Exception {
        FakeSession tab = tab("ida");
        Instant due = clock.instant().plus(Duration.ofMinutes(30));
        Created created = service.create(order("ida").withSchedule(due, null));
        assertThat(tab.sent()).isEmpty();
        assertThat(service.releaseDue()).isZero();

        clock.set(due);
        int released = service.releaseDue();

        assertThat(released).isEqualTo(1);
        assertThat(tab.sent(LiveNotifier.NOTIFICATION)).hasSize(1);
        assertThat(json(tab.sent().getFirst()).get("id").asText()).isEqualTo(created.ids().getFirst());
        assertThat(json(tab.sent().getFirst()).get("timestamp").asText()).isEqualTo(due.toString());
        assertThat(service.releaseDue()).isZero();
    }

    @Test
    void neverSendsAScheduledNotificationThatExpiredBeforeItsTime() throws Exception {
        FakeSession tab = tab("jo");
        Instant due = clock.instant().plus(Duration.ofMinutes(30));
        service.create(order("jo").withSchedule(due, due.plusSeconds(60)));

        clock.set(due.plusSeconds(61));

        assertThat(service.releaseDue()).isZero();
        assertThat(tab.sent()).isEmpty();
        assertThat(inbox.pending("jo", 10).notifications()).isEmpty();
    }

    @Test
    void sendsScheduledNotificationsLeftByAPreviousRunOnceStarted() throws Exception {
        Instant due = clock.instant().plusSeconds(5);
        service.create(order("kim").withSchedule(due, null));
        service.close();
        clock.set(due.plusSeconds(60)); // the node was down when it fell due
        FakeSession tab = tab("kim");

        try (NotificationPipeline restarted = new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults())) {
            restarted.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> tab.sent(LiveNotifier.NOTIFICATION).size() == 1);
        }
    }

    @Test
    void readOnOneTabClearsItOnTheOthers() throws Exception {
        FakeSession phone = tab("lea"), laptop = tab("lea");
        String id = service.create(order("lea")).ids().getFirst();

        Notification read = inbox.markRead("lea", id);

        for (FakeSession tab : List.of(phone, laptop)) {
            List<OutboundEvent> status = tab.sent(LiveNotifier.NOTIFICATION_STATUS);
            assertThat(status).hasSize(1);
            JsonNode body = json(status.getFirst());
            assertThat(body.get("notificationId").asText()).isEqualTo(id);
            assertThat(body.get("status").asText()).isEqualTo("read");
            assertThat(body.get("readAt").asText()).isEqualTo(read.readAt().toString());
        }
        assertThat(inbox.pending("lea", 10).notifications()).isEmpty();
    }

    @Test
    void readingTwiceTellsTheTabsOnce() throws Exception {
        FakeSession tab = tab("max");
        String id = service.create(order("max")).ids().getFirst();

        inbox.markRead("max", id);
        clock.advance(Duration.ofSeconds(5));
        inbox.markRead("max", id);

        assertThat(tab.sent(LiveNotifier.NOTIFICATION_STATUS)).hasSize(1);
    }

    @Test
    void readAllTellsEveryTabWhichNotificationsWereRead() throws Exception {
        FakeSession tab = tab("ned");
        String a = service.create(order("ned")).ids().getFirst();
        clock.advance(Duration.ofSeconds(1));
        String b = service.create(order("ned")).ids().getFirst();

        List<String> changed = inbox.markAllRead("ned");

        assertThat(changed).containsExactlyInAnyOrder(a, b);
        JsonNode body = json(tab.sent(LiveNotifier.NOTIFICATION_STATUS).getFirst());
        assertThat(body.get("status").asText()).isEqualTo("read");
        assertThat(body.get("notificationIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void anAckRecordsDeliveryAndTellsTheTabs() throws Exception {
        FakeSession tab = tab("olga");
        String id = service.create(order("olga")).ids().getFirst();

        Notification acked = inbox.acknowledge("olga", id);

        assertThat(acked.status()).isEqualTo(NotificationStatus.DELIVERED);
        JsonNode body = json(tab.sent(LiveNotifier.NOTIFICATION_STATUS).getFirst());
        assertThat(body.get("status").asText()).isEqualTo("delivered");
        assertThat(body.get("deliveredAt").asText()).isEqualTo(acked.deliveredAt().toString());
    }

    @Test
    void treatsAnotherUsersNotificationAsNotFound() throws Exception {
        String id = service.create(order("pat")).ids().getFirst();

        assertRefused(() -> inbox.get("mallory", id), ErrorCode.NOT_FOUND, "not found");
        assertRefused(() -> inbox.markRead("mallory", id), ErrorCode.NOT_FOUND, "not found");
        assertRefused(() -> inbox.acknowledge("mallory", id), ErrorCode.NOT_FOUND, "not found");
        assertRefused(() -> inbox.delete("mallory", id), ErrorCode.NOT_FOUND, "not found");
        assertThat(inbox.get("pat", id).readAt()).isNull();
    }

    @Test
    void listsPendingUnreadNewestFirstAndSaysWhenThereIsMore() throws Exception {
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(service.create(order("quinn")).ids().getFirst());
            clock.advance(Duration.ofSeconds(1));
        }
        inbox.markRead("quinn", created.get(3));

        Pending pending = inbox.pending("quinn", 2);

        assertThat(pending.notifications()).extracting(Notification::id).containsExactly(created.get(2), created.get(1));
        assertThat(pending.hasMore()).isTrue();
    }

    @Test
    void syncsWhatCameAfterTheLastIdTheClientSaw() throws Exception {
        String seen = service.create(order("rae")).ids().getFirst();
        clock.advance(Duration.ofSeconds(1));
        String missed1 = service.create(order("rae")).ids().getFirst();
        clock.advance(Duration.ofSeconds(1));
        String missed2 = service.create(order("rae")).ids().getFirst();

        SyncPage page = inbox.sync("rae", SyncCursor.afterId(seen), 100);

        assertThat(page.items()).extracting(Notification::id).containsExactly(missed1, missed2);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void purgesNotificationsPastRetention() throws Exception {
        String old = service.create(order("sam")).ids().getFirst();
        clock.advance(Duration.ofDays(91));
        String recent = service.create(order("sam")).ids().getFirst();

        PurgeResult purged = service.purge();

        assertThat(purged.old()).isEqualTo(1);
        assertThat(inbox.inbox("sam", 1, 10, false, null, null).items()).extracting(Notification::id).containsExactly(recent);
        assertRefused(() -> inbox.get("sam", old), ErrorCode.NOT_FOUND, "not found");
    }

    @Test
    void erasesAllOfAUsersNotifications() throws Exception {
        service.create(order("tom"));
        service.create(order("uma"));

        assertThat(inbox.eraseUser("tom")).isEqualTo(1);
        assertThat(inbox.inbox("tom", 1, 10, false, null, null).total()).isZero();
        assertThat(inbox.inbox("uma", 1, 10, false, null, null).total()).isEqualTo(1);
    }
}
