package dev.herald.core.inbox;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.hub.Hub;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification pipeline and the inbox use cases: create (validate → idempotency → one store
 * transaction → live {@code notification} to room {@code user:{id}}), scheduled release, read /
 * read-all / ack with a {@code notificationStatus} to every tab of the user, pending, sync, purge
 * and erase.
 *
 * <p>The store is the truth: an emit that fails is logged and the client catches up through
 * {@code notifications:pending} or sync, so nothing accepted is lost. Live emits go through the
 * {@link Hub}, hence the broker, hence every node.
 *
 * <p>Threading: thread-safe; every method blocks on the store, so call it from virtual threads.
 * {@link #start} runs the scheduler on one virtual thread of its own.
 */
public final class NotificationService implements AutoCloseable {
    public static final String NOTIFICATION = "notification";
    public static final String NOTIFICATION_STATUS = "notificationStatus";
    static final int RELEASE_BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

    private final NotificationStore store;
    private final InboxReader reader;
    private final InboxMaintenance maintenance;
    private final Hub hub;
    private final Clock clock;
    private final InboxConfig config;
    private final NotificationIds ids = new NotificationIds();
    private final InboxScheduler scheduler;

    public NotificationService(NotificationStore store, InboxReader reader, InboxMaintenance maintenance, Hub hub,
                               Clock clock, InboxConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = new InboxScheduler(this, reader, clock, config);
    }

    /** The usual wiring: one store backend behind all three ports. */
    public NotificationService(InboxStore store, Hub hub, Clock clock, InboxConfig config) {
        this(store, store, store, hub, clock, config);
    }

    public static String userRoom(String userId) {
        return "user:" + userId;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Starts the scheduler thread (scheduled releases, including rows left by an earlier run; purges). */
    public void start() {
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.close();
    }

    /**
     * Creates one notification per recipient. With an Idempotency-Key, a retry within the window
     * gets the first answer and nothing new is written or sent; the same key with a different
     * request is refused with {@code CONFLICT}.
     *
     * @throws HeraldException {@code INVALID_ARGUMENT} naming the bad field
     */
    public Created create(CreateNotification request) {
        Instant now = now();
        List<Notification> rows = NotificationRequests.build(request, now, config, ids);
        Idempotency key = request.idempotencyKey() == null ? null : new Idempotency(
                NotificationRequests.scopedKey(request), NotificationRequests.fingerprint(request),
                now.plus(config.idempotencyWindow()));
        Saved saved = store.saveAll(rows, key, now);
        if (saved.replayed()) {
            if (!key.fingerprint().equals(saved.fingerprint())) {
                throw new HeraldException(ErrorCode.CONFLICT, "Idempotency-Key was already used for a different request");
            }
            return new Created(saved.ids(), saved.notifications(), true);
        }
        boolean scheduled = false;
        for (Notification n : saved.notifications()) {
            if (n.status() == NotificationStatus.SCHEDULED) scheduled = true;
            else announce(n);
        }
        if (scheduled) scheduler.wake();
        return new Created(saved.ids(), saved.notifications(), false);
    }

    private void announce(Notification n) {
        emit(n.recipientId(), NOTIFICATION, NotificationPayload.toJson(n));
    }

    private void emit(String userId, String event, String json) {
        try {
            hub.emit(userRoom(userId), event, json, Set.of()).whenComplete((ok, error) -> {
                if (error != null) log.warn("live {} to a user failed; the client will catch up on sync", event, error);
            });
        } catch (RuntimeException e) {
            log.warn("live {} to a user failed; the client will catch up on sync", event, e);
        }
    }

    /** Releases every scheduled notification due now and sends each live; returns how many. */
    public int releaseDue() {
        int released = 0;
        while (true) {
            List<Notification> due = store.releaseDue(now(), RELEASE_BATCH);
            due.forEach(this::announce);
            released += due.size();
            if (due.size() < RELEASE_BATCH) return released;
        }
    }

    /** Deletes expired notifications, those past retention and dead idempotency keys. */
    public PurgeResult purge() {
        Instant now = now();
        return maintenance.purge(now, now.minus(java.time.Duration.ofDays(config.retentionDays())));
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
        if (n.readAt().equals(at)) emit(userId, NOTIFICATION_STATUS, NotificationPayload.status(n.id(), "read", n.readAt()));
        return n;
    }

    /** Marks every unread notification read, tells every tab which; returns the ids. */
    public List<String> markAllRead(String userId) {
        Instant at = now();
        List<String> changed = store.markAllRead(userId, at);
        if (!changed.isEmpty()) emit(userId, NOTIFICATION_STATUS, NotificationPayload.readAll(changed, at));
        return changed;
    }

    /** A client's ack: records delivery and tells every tab of the user; idempotent. */
    public Notification acknowledge(String userId, String id) {
        Instant at = now();
        Notification n = store.markDelivered(userId, id, at).orElseThrow(() -> notFound(id));
        if (n.deliveredAt().equals(at)) emit(userId, NOTIFICATION_STATUS, NotificationPayload.status(n.id(), "delivered", n.deliveredAt()));
        return n;
    }

    /** Deletes it and tells every tab ({@code notificationStatus} with status {@code deleted}). */
    public void delete(String userId, String id) {
        if (!store.delete(userId, id)) throw notFound(id);
        emit(userId, NOTIFICATION_STATUS, NotificationPayload.status(id, "deleted", now()));
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
