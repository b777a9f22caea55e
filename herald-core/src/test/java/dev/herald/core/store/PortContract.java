package dev.herald.core.store;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the contract suites of the storage ports share: a fresh {@link Storage} per test, the
 * test's clock (passed to the store explicitly, so no test waits), and builders of rows. Times are
 * whole seconds: both SQL stores keep milliseconds.
 */
public abstract class PortContract {
    protected final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    protected final NotificationIds ids = new NotificationIds();
    protected Storage storage;
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /**
     * A storage holding no outbox rows (claims and stats see the whole outbox) and nothing about
     * this test's users; closed after the test.
     */
    protected abstract Storage newStorage();

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    protected String user(String name) {
        return name + "-" + run;
    }

    protected Instant now() {
        return clock.instant();
    }

    /** A waiting delivery of a fresh notification, created now. */
    protected Delivery delivery(String recipient, Channel channel, Priority priority, Instant dueAt) {
        return delivery(ids.next(now()), recipient, channel, priority, Delivery.Kind.STANDARD, null, DeliveryStatus.PENDING, dueAt);
    }

    protected Delivery delivery(String notificationId, String recipient, Channel channel, Priority priority,
                                Delivery.Kind kind, String digestKey, DeliveryStatus status, Instant dueAt) {
        Delivery.Target target = new Delivery.Target(notificationId, recipient, "comment", channel, priority, kind, digestKey);
        String reason = status == DeliveryStatus.PENDING ? null : "because-" + status.wire();
        int attempts = status == DeliveryStatus.DEAD || status == DeliveryStatus.FAILED ? 3 : 0;
        Delivery.State state = new Delivery.State(status, reason, attempts, dueAt, null, now());
        return new Delivery(ids.next(now()), target, state, "{\"title\":\"New comment\",\"n\":" + attempts + "}", now());
    }

    /** Writes deliveries as a create does: in a batch, here one with no inbox rows. */
    protected void saveDeliveries(Delivery... deliveries) {
        List<String> notificationIds = Arrays.stream(deliveries).map(d -> d.target().notificationId()).distinct().toList();
        storage.notifications().save(new NotificationBatch(notificationIds, List.of(), List.of(deliveries)), null, now());
    }

    protected Delivery stored(Delivery d) {
        return storage.outbox().find(DeliveryQuery.byId(d.id())).getFirst();
    }
}
