package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.deliver.dispatch.StatusEvent;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.Routing;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the inbox tells the backend, and what a read cancels. */
class InboxReceiptsTest {
    private final MutableClock clock = MutableClock.at("2026-06-01T10:00:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Storage storage = store.storage();
    private final LiveNotifier live = new LiveNotifier(new Hub(new MemoryBroker()));
    private final List<StatusEvent> events = new CopyOnWriteArrayList<>();
    private final InboxService inbox = new InboxService(storage, live, events::add, clock);
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, live, clock,
            PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK)));

    private String escalated() {
        storage.contacts().putContact(new Contact("amy", null, null, null, null, "https://hooks.example.com/amy"), clock.instant());
        return pipeline.create(CreateNotification.to("amy", "order", "T", "M").withRouting(new Routing(List.of("inApp"), null,
                new CreateNotification.Escalation("webhook", 600L)))).ids().getFirst();
    }

    @Test
    void aReadCancelsTheWaitingEscalationAndIsReportedOnce() {
        String id = escalated();
        inbox.markRead("amy", id);
        clock.advance(Duration.ofSeconds(1));
        inbox.markRead("amy", id);

        Delivery escalation = storage.outbox().find(DeliveryQuery.ofNotification(id)).getFirst();
        assertThat(escalation.status()).isEqualTo(DeliveryStatus.SKIPPED);
        assertThat(escalation.state().reason()).isEqualTo("read");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeliveryStatus.READ);
            assertThat(e.channel()).isEqualTo(Channel.IN_APP);
            assertThat(e.notificationId()).isEqualTo(id);
        });
    }

    @Test
    void readAllCancelsEveryEscalationItReads() {
        String first = escalated();
        String second = escalated();
        inbox.markAllRead("amy");
        assertThat(List.of(first, second)).allSatisfy(id -> assertThat(
                storage.outbox().find(DeliveryQuery.ofNotification(id)).getFirst().status()).isEqualTo(DeliveryStatus.SKIPPED));
        assertThat(events).extracting(StatusEvent::notificationId).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void aClientsFirstAckIsReportedAsDelivered() {
        String id = pipeline.create(CreateNotification.to("amy", "order", "T", "M")).ids().getFirst();
        inbox.acknowledge("amy", id);
        clock.advance(Duration.ofSeconds(1));
        inbox.acknowledge("amy", id);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(DeliveryStatus.DELIVERED));
    }
}
