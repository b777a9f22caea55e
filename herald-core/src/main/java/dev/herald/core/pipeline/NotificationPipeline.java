package dev.herald.core.pipeline;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.InboxMaintenance;
import dev.herald.core.store.InboxReader;
import dev.herald.core.store.NotificationStore;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.store.Saved;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The notification pipeline: validate → idempotency → one store transaction → live
 * {@code notification} to room {@code user:{id}}; and the release of scheduled notifications when
 * they fall due, and the purge.
 *
 * <p>The store is the truth: once {@link #create} returns the rows are durable, and a live emit
 * that fails only delays what the client sees until it syncs.
 *
 * <p>Threading: thread-safe; every method blocks on the store, so call it from virtual threads.
 * {@link #start} runs the scheduler on one virtual thread of its own.
 */
public final class NotificationPipeline implements NotificationIntake, AutoCloseable {
    static final int RELEASE_BATCH = 500;

    private final NotificationStore store;
    private final InboxMaintenance maintenance;
    private final LiveNotifier live;
    private final Clock clock;
    private final PipelineConfig config;
    private final NotificationIds ids = new NotificationIds();
    private final InboxScheduler scheduler;

    public NotificationPipeline(NotificationStore store, InboxReader reader, InboxMaintenance maintenance,
                                LiveNotifier live, Clock clock, PipelineConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.live = Objects.requireNonNull(live, "live");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = new InboxScheduler(this, Objects.requireNonNull(reader, "reader"), clock, config);
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

    @Override
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
        live.emit(n.recipientId(), LiveNotifier.NOTIFICATION, NotificationPayload.toJson(n));
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
        return maintenance.purge(now, now.minus(Duration.ofDays(config.retentionDays())));
    }
}
