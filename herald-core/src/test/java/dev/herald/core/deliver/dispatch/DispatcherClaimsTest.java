package dev.herald.core.deliver.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.Routing;
import dev.herald.core.notification.Priority;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.route.Hub;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.CountingOutbox;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.testing.ScriptedSender;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How often the dispatcher asks the store for rows: every claim is a query (and on PostgreSQL a
 * transaction), so neither a create's wake nor a finished send may make it look at priorities
 * nothing changed for.
 * The memory outbox, wrapped to count the claims per priority ({@link CountingOutbox}).
 */
class DispatcherClaimsTest {
    private final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");
    private final Storage memory = new MemoryNotificationStore().storage();
    private final CountingOutbox outbox = new CountingOutbox(memory.outbox());
    private final Storage storage = new Storage(memory.notifications(), memory.inbox(), memory.maintenance(), outbox,
            memory.deliveryLog(), memory.preferences(), memory.contacts(), memory.templates(), memory.rates(), memory.resources());
    private final ScriptedSender webhook = new ScriptedSender(Channel.WEBHOOK);
    // A poll far away: every pass in the test comes from a create's wake or a finished send.
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(new MemoryPresenceRegistry())
            .clock(clock).senders(List.of(webhook))
            .config(DispatchConfig.defaults().withTimings(Duration.ofSeconds(30), Duration.ofHours(1)))
            .build().start();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK)), PipelineObserver.NONE, dispatcher::wake);

    DispatcherClaimsTest() {
        storage.contacts().putContact(new Contact("amy", null, null, null, ZoneOffset.UTC, "https://hooks.example.com/amy"),
                clock.instant());
    }

    @AfterEach
    void stop() {
        dispatcher.close();
    }

    private void create(String priority) {
        pipeline.create(CreateNotification.to("amy", "order", "Shipped", "Order 42").withPriority(priority)
                .withRouting(new Routing(List.of("webhook"), null, null)));
    }

    @Test
    void aCreatesWakeClaimsOnlyThePrioritiesItWrote() {
        // The first look at start, at every priority (low is the last), before anything is due.
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.claims(Priority.LOW) == 1);

        create("medium");

        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.received().size() == 1);
        assertThat(outbox.claims(Priority.MEDIUM)).isEqualTo(2);
        assertThat(outbox.claims(Priority.URGENT)).isEqualTo(1);
        assertThat(outbox.claims(Priority.HIGH)).isEqualTo(1);
        assertThat(outbox.claims(Priority.LOW)).isEqualTo(1);
    }

    @Test
    void aFinishedSendClaimsNothingWhenItsPrioritysLastClaimCameBackShort() {
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.claims(Priority.LOW) == 1);
        // The wake's claim asks for the free slots and more, and finds the one row: short.
        create("medium");
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.received().size() == 1 && dispatcher.sending(Priority.MEDIUM) == 0);

        // The finished send has signalled the loop; a low create's wake makes the loop pass after that
        // signal, looking at medium (before low) if it had not already.
        create("low");
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.received().size() == 2);

        assertThat(outbox.claims(Priority.LOW)).isEqualTo(2);
        assertThat(outbox.claims(Priority.MEDIUM)).as("claims of medium: at start and the create's wake").isEqualTo(2);
    }
}
