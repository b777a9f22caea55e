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
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.route.Hub;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.Storage;
import dev.herald.core.template.RenderFailure;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.testing.ScriptedSender;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A message whose template cannot render fails at once: rendering again would fail the same way. */
class DispatcherRenderFailureTest {
    private final MutableClock clock = MutableClock.at("2026-05-04T10:00:00Z");
    private final MemoryNotificationStore store = new MemoryNotificationStore();
    private final Storage storage = store.storage();
    private final ScriptedSender webhook = new ScriptedSender(Channel.WEBHOOK);
    private final AtomicInteger renders = new AtomicInteger();
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(new MemoryPresenceRegistry()).clock(clock)
            .senders(List.of(webhook)).renderer((channel, deliveries, contact) -> {
                renders.incrementAndGet();
                throw new RenderFailure("body: Unexpected end of template (line 1)", null);
            })
            .config(DispatchConfig.defaults().withTimings(Duration.ofSeconds(30), Duration.ofMillis(20))).build().start();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.WEBHOOK)), PipelineObserver.NONE, dispatcher::wake);

    @AfterEach
    void stop() {
        dispatcher.close();
    }

    @Test
    void aTemplateThatCannotRenderFailsTheDeliveryOnceWithTheReasonAndSendsNothing() {
        storage.contacts().putContact(new Contact("amy", null, null, null, ZoneOffset.UTC, "https://hooks.example.com/amy"),
                clock.instant());
        String id = pipeline.create(CreateNotification.to("amy", "order", "Shipped", "Order 42")
                .withRouting(new Routing(List.of("webhook"), null, null))).ids().getFirst();

        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(id).status() == DeliveryStatus.FAILED);

        assertThat(delivery(id).state().reason()).isEqualTo("template_error: body: Unexpected end of template (line 1)");
        assertThat(webhook.received()).isEmpty();
        assertThat(renders.get()).isEqualTo(1);
        assertThat(store.deliveryLog().ofNotification(id)).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryStatus.FAILED);
    }

    private Delivery delivery(String notificationId) {
        return storage.outbox().find(DeliveryQuery.ofNotification(notificationId)).getFirst();
    }
}
