package dev.herald.core.inbox;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.dispatch.DeliveryEvents;
import dev.herald.core.deliver.dispatch.StatusEvent;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.store.InboxReader;
import dev.herald.core.store.NotificationStore;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Storage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The inbox use cases: pages, one notification, read / read-all / ack / delete with a
 * {@code notificationStatus} to every tab of the user, the pending greeting, sync and erasure.
 *
 * <p>Receipts (DESIGN §5): a first ack is {@code delivered} and a first read is {@code read} for the
 * backend's status callbacks, and a read cancels the notification's waiting escalations (the
 * dispatcher checks the read state again before it sends one, so a read racing a claim is safe).
 *
 * <p>Threading: thread-safe; every method blocks on the store, so call it from virtual threads.
 */
public final class InboxService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InboxService.class);
    private final NotificationStore store;
    private final InboxReader reader;
    private final OutboxStore outbox;
    private final LiveNotifier live;
    private final DeliveryEvents events;
    private final Clock clock;

    /** The inbox of {@code storage}, with receipts to {@code events} and escalations cancelled by reads. */
    public InboxService(Storage storage, LiveNotifier live, DeliveryEvents events, Clock clock) {
        this.store = storage.notifications();
        this.reader = storage.inbox();
        this.outbox = storage.outbox();
        this.live = Objects.requireNonNull(live, "live");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The inbox of {@code storage} with no one to tell about receipts. */
    public InboxService(Storage storage, LiveNotifier live, Clock clock) {
        this(storage, live, DeliveryEvents.none(), clock);
    }

    private void read(String userId, String id, Instant at) {
        outbox.cancel(id, Delivery.Kind.ESCALATION, "read", at);
        events.statusChanged(new StatusEvent(null, id, userId, Channel.IN_APP, DeliveryStatus.READ, null, null, at));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** One page of the user's inbox, newest first. */
    public InboxPage inbox(String userId, int page, int limit, boolean unreadOnly, String channel, String type) {
        return reader.page(new InboxQuery(userId, page, limit, unreadOnly, channel, type, now()));
    }

    /** The user's notification; {@code NOT_FOUND} for unknown, expired, not yet due or someone else's. */
    public Notification get(String userId, String id) {
        return reader.find(userId, id, now()).orElseThrow(() -> notFound(id));
    }

    private static HeraldException notFound(String id) {
        return new HeraldException(ErrorCode.NOT_FOUND, "notification not found");
    }

    /** Marks it read and tells every tab of the user; idempotent (the first read time stays). */
    public Notification markRead(String userId, String id) {
        Instant at = now();
        Notification n = store.markRead(userId, id, at).orElseThrow(() -> notFound(id));
        // The store keeps the first read time, so an equal time means this call made it read.
        if (n.readAt().equals(at)) {
            live.emit(userId, LiveNotifier.NOTIFICATION_STATUS, NotificationPayload.status(n.id(), "read", n.readAt()));
            read(userId, n.id(), at);
            log.info("notification read id={} user={}", n.id(), userId);
        }
        return n;
    }

    /** Marks every unread notification read, tells every tab which; returns the ids. */
    public List<String> markAllRead(String userId) {
        Instant at = now();
        List<String> changed = store.markAllRead(userId, at);
        if (!changed.isEmpty()) live.emit(userId, LiveNotifier.NOTIFICATION_STATUS, NotificationPayload.readAll(changed, at));
        changed.forEach(id -> read(userId, id, at));
        if (!changed.isEmpty()) log.info("notifications read user={} count={}", userId, changed.size());
        return changed;
    }

    /** A client's ack: records delivery and tells every tab of the user; idempotent. */
    public Notification acknowledge(String userId, String id) {
        Instant at = now();
        Notification n = store.markDelivered(userId, id, at).orElseThrow(() -> notFound(id));
        if (n.deliveredAt().equals(at)) {
            live.emit(userId, LiveNotifier.NOTIFICATION_STATUS, NotificationPayload.status(n.id(), "delivered", n.deliveredAt()));
            events.statusChanged(new StatusEvent(null, n.id(), userId, Channel.IN_APP, DeliveryStatus.DELIVERED, null, null, at));
            log.info("notification delivered id={} user={} channel=inApp", n.id(), userId);
        }
        return n;
    }

    /** Deletes it and tells every tab ({@code notificationStatus} with status {@code deleted}). */
    public void delete(String userId, String id) {
        if (!store.delete(userId, id)) throw notFound(id);
        live.emit(userId, LiveNotifier.NOTIFICATION_STATUS, NotificationPayload.status(id, "deleted", now()));
    }

    /** The unread notifications a client gets on connect, newest first. */
    public Pending pending(String userId, int limit) {
        InboxPage page = reader.page(InboxQuery.firstPage(userId, limit, true, now()));
        return new Pending(page.items(), page.hasMore());
    }

    /** What came after the client's cursor, oldest first. */
    public SyncPage sync(String userId, SyncCursor cursor, int limit) {
        if (limit < 1 || limit > 1000) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit: must be between 1 and 1000");
        return reader.after(userId, cursor, limit, now());
    }

    /** Erases everything stored about the user (right to erasure); returns the notifications erased. */
    public int eraseUser(String userId) {
        return store.eraseUser(userId);
    }
}
