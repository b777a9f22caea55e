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
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.CountingOutbox;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Claiming ahead: at a backlog one claim serves many sends, the shares still bound the sends in
 * flight, and rows claimed but not started go back to the outbox (when the dispatcher closes, or
 * when they waited half their lease) rather than waiting for their lease to lapse.
 */
class DispatcherClaimAheadTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int MEDIUM_SHARE = DispatchConfig.defaults().shares().get(Priority.MEDIUM);

    /** A webhook sender whose sends wait for {@link #open}, counting how many wait at once. */
    private static final class GatedSender implements ChannelSender {
        final CountDownLatch gate = new CountDownLatch(1);
        final List<String> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        void open() {
            gate.countDown();
        }

        @Override
        public Channel channel() {
            return Channel.WEBHOOK;
        }

        @Override
        public String provider() {
            return "gated";
        }

        @Override
        public SendResult send(OutboundMessage message) {
            mostAtOnce.accumulateAndGet(waiting.incrementAndGet(), Math::max);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
            sent.add(message.deliveryId());
            return new SendResult.Sent(null);
        }
    }

    private final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");
    private final Storage memory = new MemoryNotificationStore().storage();
    private final CountingOutbox outbox = new CountingOutbox(memory.outbox());
    private final Storage storage = new Storage(memory.notifications(), memory.inbox(), memory.maintenance(), outbox,
            memory.deliveryLog(), memory.preferences(), memory.contacts(), memory.templates(), memory.rates(), memory.resources());
    private final GatedSender webhook = new GatedSender();
    // A poll far away: every pass comes from the start, a wake or a finished send.
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(new MemoryPresenceRegistry())
            .clock(clock).senders(List.of(webhook))
            .config(DispatchConfig.defaults().withTimings(LEASE, Duration.ofHours(1))).build();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK)), PipelineObserver.NONE, dispatcher::wake);

    DispatcherClaimAheadTest() {
        storage.contacts().putContact(new Contact("amy", null, null, null, ZoneOffset.UTC, "https://hooks.example.com/amy"),
                clock.instant());
    }

    @AfterEach
    void stop() {
        webhook.open();
        dispatcher.close();
    }

    private void backlog(int n) {
        for (int i = 0; i < n; i++) {
            pipeline.create(CreateNotification.to("amy", "order", "Shipped", "Order " + i)
                    .withRouting(new Routing(List.of("webhook"), null, null)));
        }
    }

    private List<Delivery> outboxRows() {
        return storage.outbox().find(new DeliveryQuery(null, null, null, null, null, null, DeliveryQuery.MAX_LIMIT));
    }

    @Test
    void sendsABacklogWithOneClaimForManySendsAndNoneTwice() {
        int rows = 60;
        backlog(rows);
        webhook.open();

        dispatcher.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.sent.size() == rows);
        assertThat(webhook.sent).doesNotHaveDuplicates();
        // At least 16 rows a claim (free slots + 16 ahead), then at most one empty look per slot freed at the end;
        // claiming only for free slots took about one claim per send.
        assertThat(outbox.claims(Priority.MEDIUM)).isLessThanOrEqualTo(rows / DispatchConfig.DEFAULT_CLAIM_AHEAD + 1 + MEDIUM_SHARE);
        assertThat(webhook.mostAtOnce.get()).isLessThanOrEqualTo(MEDIUM_SHARE);
    }

    @Test
    void handsBackTheRowsItClaimedAheadWhenItCloses() throws Exception {
        backlog(10);
        dispatcher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.waiting.get() == MEDIUM_SHARE);

        Thread closing = Thread.ofVirtual().start(dispatcher::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.handedBack() == 10 - MEDIUM_SHARE);
        webhook.open();
        closing.join();

        List<Delivery> after = outboxRows();
        assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.SENT).hasSize(MEDIUM_SHARE);
        assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.PENDING).hasSize(10 - MEDIUM_SHARE)
                .allSatisfy(d -> {
                    assertThat(d.state().claimedUntil()).as("lease").isNull();
                    assertThat(d.state().attempts()).isZero();
                });
    }

    @Test
    void handsBackARowThatWaitedHalfItsLeaseAndSendsItOnAFreshClaim() {
        backlog(10);
        dispatcher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.waiting.get() == MEDIUM_SHARE);

        clock.advance(LEASE.dividedBy(2).plusSeconds(1));
        webhook.open();

        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.sent.size() == 10);
        assertThat(webhook.sent).doesNotHaveDuplicates();
        assertThat(outbox.handedBack()).isEqualTo(10 - MEDIUM_SHARE);
        assertThat(outboxRows()).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.SENT));
    }
}
