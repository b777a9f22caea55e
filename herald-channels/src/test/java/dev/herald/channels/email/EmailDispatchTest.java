package dev.herald.channels.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.channels.testing.SmtpPeer;
import dev.herald.core.deliver.dispatch.DispatchConfig;
import dev.herald.core.deliver.dispatch.DispatchObserver;
import dev.herald.core.deliver.dispatch.Dispatcher;
import dev.herald.core.deliver.dispatch.RateLimits;
import dev.herald.core.deliver.dispatch.RetryPolicy;
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
import dev.herald.core.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher sending email through SmtpEmailSender to a real SMTP peer, with a clock moved by hand. */
class EmailDispatchTest {
    private final MutableClock clock = MutableClock.at("2026-05-04T10:20:00Z");
    private final Storage storage = new MemoryNotificationStore().storage();
    private final SmtpPeer peer = start();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final Dispatcher dispatcher = Dispatcher.builder().storage(storage).presence(new MemoryPresenceRegistry()).clock(clock)
            .senders(List.of(new SmtpEmailSender(EmailConfig.of(SmtpUrl.parse("smtp://127.0.0.1:" + peer.port()),
                    "noreply@example.com"), Optional.empty(), clock)))
            .rateLimits(RateLimits.defaults())
            .observer(new DispatchObserver() {
                @Override
                public void rateLimited(Channel channel) {
                    rateLimited.incrementAndGet();
                }
            })
            .config(DispatchConfig.defaults().withTimings(Duration.ofSeconds(30), Duration.ofMillis(20))
                    .withRetry(new RetryPolicy(RetryPolicy.DEFAULT_SCHEDULE, Map.of(Channel.EMAIL, 3), 0)))
            .build().start();
    private final NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(new Hub(new MemoryBroker())),
            clock, PipelineConfig.defaults().withChannels(Set.of(Channel.EMAIL)), PipelineObserver.NONE, dispatcher::wake);

    private static SmtpPeer start() {
        try {
            return SmtpPeer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    EmailDispatchTest() {
        storage.contacts().putContact(new Contact("amy", "amy@example.org", null, null, null, null), clock.instant());
    }

    @AfterEach
    void stop() throws IOException {
        dispatcher.close();
        peer.close();
    }

    private String send(String title) {
        return pipeline.create(CreateNotification.to("amy", "payment", title, "12.50 EUR")
                .withRouting(new Routing(List.of("email"), null, null))).ids().getFirst();
    }

    private Delivery only(String notificationId) {
        return storage.outbox().find(DeliveryQuery.ofNotification(notificationId)).getFirst();
    }

    @Test
    void a451ThenA250IsDeliveredOnTheSecondAttempt() {
        peer.replyToData("451 4.7.1 greylisted, try again");
        String id = send("Payment confirmed");
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).state().attempts() == 1);
        assertThat(only(id).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(peer.received()).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        dispatcher.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).status() == DeliveryStatus.SENT);

        assertThat(peer.received()).hasSize(1);
        List<DeliveryAttempt> log = storage.deliveryLog().ofNotification(id);
        assertThat(log).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryStatus.PENDING, DeliveryStatus.SENT);
        assertThat(log.get(0).error()).isEqualTo("smtp 451");
        assertThat(log.get(1).provider()).isEqualTo("smtp");
        assertThat(log.get(1).providerId()).isEqualTo("<" + only(id).id() + "@example.com>");
        assertThat(peer.received().getFirst().text()).contains("Message-ID: <" + only(id).id() + "@example.com>");
    }

    @Test
    void a550FailsAtOnce() {
        peer.replyToRcpt("550 5.1.1 <amy@example.org>: no such user");
        String id = send("Payment confirmed");
        await().atMost(Duration.ofSeconds(10)).until(() -> only(id).status() == DeliveryStatus.FAILED);

        assertThat(only(id).state().reason()).isEqualTo("smtp 550");
        assertThat(storage.deliveryLog().ofNotification(id)).singleElement()
                .satisfies(a -> assertThat(a.error()).isEqualTo("smtp 550"));
    }

    @Test
    void theEleventhEmailOfAnHourIsHeldAndGoesOutInTheNextWindow() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 11; i++) ids.add(send("Payment " + i));
        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().map(this::only)
                .filter(d -> d.status() == DeliveryStatus.SENT || d.status() == DeliveryStatus.HELD).count() == 11);

        List<Delivery> held = ids.stream().map(this::only).filter(d -> d.status() == DeliveryStatus.HELD).toList();
        assertThat(held).singleElement().satisfies(d -> {
            assertThat(d.state().reason()).isEqualTo("rate_limited");
            assertThat(d.state().dueAt()).isEqualTo(Instant.parse("2026-05-04T11:00:00Z"));
            assertThat(d.state().attempts()).isZero();
        });
        assertThat(peer.received()).hasSize(10);
        assertThat(rateLimited).hasValue(1);

        clock.set(Instant.parse("2026-05-04T11:00:00Z"));
        dispatcher.wake();
        String heldId = held.getFirst().target().notificationId();
        await().atMost(Duration.ofSeconds(10)).until(() -> only(heldId).status() == DeliveryStatus.SENT);

        assertThat(peer.received()).hasSize(11);
        assertThat(storage.deliveryLog().ofNotification(heldId)).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryStatus.HELD, DeliveryStatus.SENT);
    }
}
