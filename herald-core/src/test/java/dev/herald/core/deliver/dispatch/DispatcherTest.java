package dev.herald.core.deliver.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.Routing;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.Frequency;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.testing.ScriptedSender;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on the memory store with a scripted webhook sender and a clock moved by hand. */
class DispatcherTest {
    private final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Storage storage = store.storage();
    private final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    private final ScriptedSender webhook = new ScriptedSender(Channel.WEBHOOK);
    private final List<StatusEvent> events = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(presence).clock(clock)
            .senders(List.of(webhook)).events(events::add)
            .config(DispatchConfig.defaults().withTimings(Duration.ofSeconds(30), Duration.ofMillis(20))
                    .withRetry(new RetryPolicy(RetryPolicy.DEFAULT_SCHEDULE, Map.of(Channel.WEBHOOK, 3), 0)))
            .build().start();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK)),
            PipelineObserver.NONE, dispatcher::wake);

    DispatcherTest() {
        storage.contacts().putContact(new Contact("amy", null, null, null, ZoneOffset.UTC, "https://hooks.example.com/amy"),
                clock.instant());
    }

    @AfterEach
    void stop() {
        dispatcher.close();
    }

    private String send(String... channels) {
        return pipeline.create(CreateNotification.to("amy", "order", "Shipped", "Order 42")
                .withRouting(new Routing(List.of(channels), null, null))).ids().getFirst();
    }

    private Delivery only(String notificationId) {
        return storage.outbox().find(DeliveryQuery.ofNotification(notificationId)).getFirst();
    }

    private void awaitStatus(String notificationId, DeliveryStatus status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> only(notificationId).status() == status);
    }

    @Test
    void sendsADueDeliveryOnceWithTheNotificationInTheClientShape() {
        String id = send("webhook");
        awaitStatus(id, DeliveryStatus.SENT);
        assertThat(webhook.received()).singleElement().satisfies(m -> {
            JsonNode body = Json.parse(m.content().json(), "body");
            assertThat(body.path("id").asText()).isEqualTo(id);
            assertThat(body.path("title").asText()).isEqualTo("Shipped");
            assertThat(m.attempt()).isEqualTo(1);
        });
        assertThat(store.deliveryLog().ofNotification(id)).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryStatus.SENT);
    }

    @Test
    void retriesAfterTheBackoffAndSucceedsOnTheThirdAttemptWithThreeLogRows() {
        webhook.then(new SendResult.Retry("http 503", null), new SendResult.Retry("http 503", null));
        String id = send("webhook");
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 1);
        assertThat(only(id).state().dueAt()).isEqualTo(clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        dispatcher.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 2);
        assertThat(only(id).state().dueAt()).isEqualTo(clock.instant().plusSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        dispatcher.wake();
        awaitStatus(id, DeliveryStatus.SENT);
        assertThat(store.deliveryLog().ofNotification(id)).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryStatus.PENDING, DeliveryStatus.PENDING, DeliveryStatus.SENT);
        assertThat(webhook.received()).extracting(OutboundMessage::deliveryId).containsOnly(only(id).id());
    }

    @Test
    void waitsAsLongAsTheProviderAsksWhenThatIsLongerThanTheBackoff() {
        webhook.then(new SendResult.Retry("http 429", Duration.ofSeconds(120)));
        String id = send("webhook");
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 1);
        assertThat(only(id).state().dueAt()).isEqualTo(clock.instant().plusSeconds(120));
    }

    @Test
    void makesADeadLetterAfterTheAttemptLimitAndReplaysIt() {
        webhook.otherwise(new SendResult.Retry("http 500", null));
        String id = send("webhook");
        for (int attempt = 1; attempt < 3; attempt++) {
            int made = attempt;
            await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == made);
            clock.advance(Duration.ofMinutes(10));
            dispatcher.wake();
        }
        awaitStatus(id, DeliveryStatus.DEAD);
        assertThat(only(id).state().reason()).isEqualTo("http 500");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(DeliveryStatus.DEAD));

        webhook.otherwise(new SendResult.Sent("ok"));
        assertThat(storage.outbox().replay(only(id).id(), clock.instant())).isPresent();
        dispatcher.wake();
        awaitStatus(id, DeliveryStatus.SENT);
    }

    @Test
    void failsAtOnceWhenTheProviderRefusesForGood() {
        webhook.then(new SendResult.Failed("http 410"));
        String id = send("webhook");
        awaitStatus(id, DeliveryStatus.FAILED);
        assertThat(webhook.received()).hasSize(1);
        assertThat(store.deliveryLog().ofNotification(id)).singleElement()
                .satisfies(a -> assertThat(a.error()).isEqualTo("http 410"));
    }

    @Test
    void sendsADayOfCommentsAsOneDigestMessageAtNine() {
        storage.preferences().put("amy", new Preferences(Map.of(), Map.of(), null,
                Map.of("order", new DigestRule(Frequency.DAILY, LocalTime.of(9, 0), null))), clock.instant());
        List<String> ids = List.of(send("webhook"), send("webhook"), send("webhook"));
        clock.set(Instant.parse("2026-05-05T09:00:00Z"));
        dispatcher.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(i -> only(i).status() == DeliveryStatus.SENT));
        assertThat(webhook.received()).singleElement().satisfies(m -> {
            JsonNode body = Json.parse(m.content().json(), "body");
            assertThat(body.path("type").asText()).isEqualTo("digest");
            assertThat(body.path("count").asInt()).isEqualTo(3);
            assertThat(m.content().subject()).isEqualTo("3 new notifications");
        });
    }

    @Test
    void skipsAFallbackForAUserWhoIsOnlineAndSendsItForOneWhoIsNot() {
        presence.register(new ConnectionInfo("s1", "amy", "team", Transport.WEBSOCKET, "node", clock.instant()));
        String online = pipeline.create(CreateNotification.to("amy", "order", "T", "M")
                .withRouting(new Routing(List.of("inApp"), "webhook", null))).ids().getFirst();
        awaitStatus(online, DeliveryStatus.SKIPPED);
        assertThat(only(online).state().reason()).isEqualTo("online");

        presence.unregister(new ConnectionInfo("s1", "amy", "team", Transport.WEBSOCKET, "node", clock.instant()));
        String offline = pipeline.create(CreateNotification.to("amy", "order", "T", "M")
                .withRouting(new Routing(List.of("inApp"), "webhook", null))).ids().getFirst();
        awaitStatus(offline, DeliveryStatus.SENT);
    }

    @Test
    void cancelsAnEscalationWhenTheNotificationWasReadInTime() {
        String read = pipeline.create(CreateNotification.to("amy", "order", "T", "M")
                .withRouting(new Routing(List.of("inApp"), null, new CreateNotification.Escalation("webhook", 900L)))).ids().getFirst();
        String unread = pipeline.create(CreateNotification.to("amy", "order", "T", "M")
                .withRouting(new Routing(List.of("inApp"), null, new CreateNotification.Escalation("webhook", 900L)))).ids().getFirst();
        store.markRead("amy", read, clock.instant());
        clock.advance(Duration.ofSeconds(900));
        dispatcher.wake();
        awaitStatus(read, DeliveryStatus.SKIPPED);
        awaitStatus(unread, DeliveryStatus.SENT);
        assertThat(only(read).state().reason()).isEqualTo("read");
        assertThat(webhook.received()).singleElement().satisfies(m -> assertThat(m.target().notificationId()).isEqualTo(unread));
    }

    @Test
    void neverSendsADeliveryThatExpiredWhileItWaited() {
        webhook.then(new SendResult.Retry("http 503", null));
        String id = pipeline.create(CreateNotification.to("amy", "order", "T", "M")
                .withSchedule(null, clock.instant().plusSeconds(30)).withRouting(new Routing(List.of("webhook"), null, null)))
                .ids().getFirst();
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 1);
        clock.advance(Duration.ofMinutes(1));
        dispatcher.wake();
        awaitStatus(id, DeliveryStatus.EXPIRED);
        assertThat(webhook.received()).hasSize(1);
    }
}
