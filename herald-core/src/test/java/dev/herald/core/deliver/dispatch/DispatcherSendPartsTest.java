package dev.herald.core.deliver.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.Routing;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A send made of parts (a push's devices, {@link SendResult#parts}): the dispatcher writes one
 * delivery-log row per part before its own, with the delivery's settle, and none of them when the
 * settle is refused for a lost lease. On the memory store; the stores' side is the outbox batch contract.
 */
class DispatcherSendPartsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Storage storage = store.storage();
    private final List<OutboundMessage> received = new CopyOnWriteArrayList<>();
    private volatile Function<OutboundMessage, SendResult> answer = m -> new SendResult.Sent(null);
    private final ChannelSender push = new ChannelSender() {
        public Channel channel() {
            return Channel.PUSH;
        }

        public String provider() {
            return "push";
        }

        public SendResult send(OutboundMessage message) {
            SendResult result = answer.apply(message);
            received.add(message);
            return result;
        }
    };
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(new MemoryPresenceRegistry()).clock(clock)
            .senders(List.of(push))
            .config(DispatchConfig.defaults().withTimings(LEASE, Duration.ofMillis(20))
                    .withRetry(new RetryPolicy(List.of(Duration.ofSeconds(5)), Map.of(Channel.PUSH, 3), 0)))
            .build().start();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.PUSH)), PipelineObserver.NONE, dispatcher::wake);

    @AfterEach
    void stop() {
        dispatcher.close();
    }

    private String createPush() {
        return pipeline.create(CreateNotification.to("amy", "order", "Shipped", "Order 42")
                .withRouting(new Routing(List.of("push"), null, null))).ids().getFirst();
    }

    private Delivery only(String notificationId) {
        return storage.outbox().find(DeliveryQuery.ofNotification(notificationId)).getFirst();
    }

    private List<DeliveryAttempt> log(String notificationId) {
        return store.deliveryLog().ofNotification(notificationId);
    }

    private SendResult.Part part(String provider, DeliveryStatus outcome, String error) {
        return new SendResult.Part(provider, outcome, Duration.ofMillis(12), error, clock.instant());
    }

    @Test
    void writesARowPerPartBeforeTheDeliverysOwnRowAllOfTheSameAttempt() {
        answer = m -> new SendResult.Sent("m-1", null, List.of(part("fcm/dev-a", DeliveryStatus.SENT, null),
                part("apns/dev-b", DeliveryStatus.FAILED, "http 410 Unregistered (device removed)")));

        String id = createPush();

        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).status() == DeliveryStatus.SENT);
        String deliveryId = only(id).id();
        assertThat(log(id)).extracting(DeliveryAttempt::deliveryId, DeliveryAttempt::attempt, DeliveryAttempt::provider,
                        DeliveryAttempt::outcome, DeliveryAttempt::error, DeliveryAttempt::latency)
                .containsExactly(
                        tuple(deliveryId, 1, "fcm/dev-a", DeliveryStatus.SENT, null, Duration.ofMillis(12)),
                        tuple(deliveryId, 1, "apns/dev-b", DeliveryStatus.FAILED, "http 410 Unregistered (device removed)",
                                Duration.ofMillis(12)),
                        tuple(deliveryId, 1, "push", DeliveryStatus.SENT, null, log(id).getLast().latency()));
    }

    @Test
    void theRetrysPartsAreWrittenWithItsSettleAndTheNextAttemptsWithTheirs() {
        answer = m -> m.attempt() == 1
                ? new SendResult.Retry("1 of 1 devices: fcm dev-a: http 503", null,
                        List.of(part("fcm/dev-a", DeliveryStatus.PENDING, "http 503")))
                : new SendResult.Sent(null, null, List.of(part("fcm/dev-a", DeliveryStatus.SENT, null)));

        String id = createPush();
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 1);
        assertThat(log(id)).extracting(DeliveryAttempt::provider, DeliveryAttempt::outcome)
                .containsExactly(tuple("fcm/dev-a", DeliveryStatus.PENDING), tuple("push", DeliveryStatus.PENDING));
        clock.advance(Duration.ofSeconds(6));
        dispatcher.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).status() == DeliveryStatus.SENT);
        assertThat(log(id)).extracting(DeliveryAttempt::attempt, DeliveryAttempt::provider, DeliveryAttempt::outcome)
                .containsExactly(tuple(1, "fcm/dev-a", DeliveryStatus.PENDING), tuple(1, "push", DeliveryStatus.PENDING),
                        tuple(2, "fcm/dev-a", DeliveryStatus.SENT), tuple(2, "push", DeliveryStatus.SENT));
    }

    @Test
    void aSendWhoseLeaseWasLostMeanwhileWritesNoneOfItsPartsNorItsRow() {
        List<Delivery> otherNode = new CopyOnWriteArrayList<>();
        answer = m -> {
            // The send outlives its lease and another node claims the row before this one settles.
            clock.advance(LEASE.plusSeconds(1));
            otherNode.addAll(storage.outbox().claimDue(m.target().priority(), clock.instant(), 10, LEASE));
            return new SendResult.Sent(null, null, List.of(part("fcm/dev-a", DeliveryStatus.SENT, null)));
        };

        String id = createPush();

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty()
                && dispatcher.sending(received.getFirst().target().priority()) == 0);
        assertThat(otherNode).extracting(Delivery::id).containsExactly(only(id).id());
        assertThat(only(id).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(log(id)).isEmpty();
    }
}
