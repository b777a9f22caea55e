package dev.herald.core.deliver.live;

import dev.herald.core.HeraldException;
import dev.herald.core.route.Hub;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.herald.core.ingest.DeliveryObserver;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every live session of a user, on every node, about their notifications: the
 * {@code notification} event and the {@code notificationStatus} changes. It goes through the
 * {@link Hub}, hence the broker.
 *
 * <p>The store is the truth, so an emit that fails is kept (the newest {@link #MAX_UNSENT}, the
 * oldest dropped and counted) and emitted again, at most {@link OutageRecovery#MAX_PUSHED} per user,
 * when this node's broker link comes back: sessions
 * on other nodes, which may have recovered from the outage before this node could publish, still
 * get it (after an outage {@link OutageRecovery} also pushes to this node's own sessions what was
 * stored meanwhile; clients dedupe by id). While the broker is down, failures are not logged one by
 * one: the first gets one WARN line, the end of the outage one summary line with the count.
 * Threading: thread-safe, never blocks.
 */
public final class LiveNotifier implements Hub.LinkObserver {
    public static final String NOTIFICATION = "notification";
    public static final String NOTIFICATION_STATUS = "notificationStatus";
    private static final Logger log = LoggerFactory.getLogger(LiveNotifier.class);

    private final Hub hub;
    private final DeliveryObserver observer;
    private final AtomicLong failedDuringOutage = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Deque<Unsent> unsent = new ArrayDeque<>();

    /** How many failed emits are kept for the link's return. */
    public static final int MAX_UNSENT = 10_000;

    private record Unsent(String userId, String event, String json) {}

    public LiveNotifier(Hub hub) {
        this(hub, DeliveryObserver.NONE);
    }

    /** @param observer hears each emit handed to the broker, and each the broker refused (metrics) */
    public LiveNotifier(Hub hub, DeliveryObserver observer) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.observer = Objects.requireNonNull(observer, "observer");
        hub.onLinkChange(this);
    }

    /** The room every session of the user joins on connect. */
    public static String userRoom(String userId) {
        return "user:" + userId;
    }

    /** Emits {@code event} with the JSON body to every session of the user. */
    public void emit(String userId, String event, String json) {
        long started = System.nanoTime();
        try {
            hub.emit(userRoom(userId), event, json, Set.of()).whenComplete((ok, error) -> {
                if (error != null) failed(new Unsent(userId, event, json), error);
            });
            observer.sent(event, 0, java.time.Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            failed(new Unsent(userId, event, json), e);
        }
    }

    /** Live emits that failed since start. */
    public long failedCount() {
        return failed.get();
    }

    /** Failed emits dropped because more than {@link #MAX_UNSENT} waited for the link. */
    public long droppedCount() {
        return dropped.get();
    }

    private void failed(Unsent message, Throwable error) {
        failed.incrementAndGet();
        observer.failed(message.event(), "broker_unavailable");
        synchronized (unsent) {
            if (unsent.size() >= MAX_UNSENT) {
                unsent.pollFirst();
                dropped.incrementAndGet();
            }
            unsent.addLast(message);
        }
        String event = message.event();
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (hub.brokerDownSince().isPresent()) {
            if (failedDuringOutage.getAndIncrement() == 0) {
                log.warn("live {} to a user failed: the broker is down; further failures are counted until it returns", event);
            }
            return;
        }
        // One line, no stack trace: the cause is the broker's, and it logs its own state changes.
        String why = cause instanceof HeraldException h ? h.code() + ": " + h.getMessage() : cause.toString();
        log.warn("live {} to a user failed ({}); the client will catch up on sync", event, why);
    }

    @Override
    public void linkDown(Instant since) {}

    @Override
    public void linkUp(Instant downSince) {
        long n = failedDuringOutage.getAndSet(0);
        List<Unsent> again;
        synchronized (unsent) {
            again = new ArrayList<>(unsent);
            unsent.clear();
        }
        if (n > 0 || !again.isEmpty()) {
            log.warn("{} live notification event(s) failed while the broker was down (since {}); emitting {} again",
                    n, downSince, again.size());
        }
        // Oldest first and at most OutageRecovery.MAX_PUSHED per user, the bound the recovery keeps
        // for this node's own sessions: past it a user syncs rather than taking a burst.
        Map<String, Integer> perUser = new HashMap<>();
        for (Unsent u : again) {
            if (perUser.merge(u.userId(), 1, Integer::sum) <= OutageRecovery.MAX_PUSHED) emit(u.userId(), u.event(), u.json());
        }
    }
}
