package dev.herald.core.deliver.live;

import dev.herald.core.HeraldException;
import dev.herald.core.route.Hub;
import java.time.Instant;
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
 * <p>Best effort by design: the store is the truth, so an emit that fails is counted and the client
 * catches up (after a broker outage {@link OutageRecovery} pushes what was stored meanwhile). While
 * the broker is down, failures are not logged one by one: the first gets one WARN line, the end of
 * the outage one summary line with the count. Threading: thread-safe, never blocks.
 */
public final class LiveNotifier implements Hub.LinkObserver {
    public static final String NOTIFICATION = "notification";
    public static final String NOTIFICATION_STATUS = "notificationStatus";
    private static final Logger log = LoggerFactory.getLogger(LiveNotifier.class);

    private final Hub hub;
    private final AtomicLong failedDuringOutage = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public LiveNotifier(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
        hub.onLinkChange(this);
    }

    /** The room every session of the user joins on connect. */
    public static String userRoom(String userId) {
        return "user:" + userId;
    }

    /** Emits {@code event} with the JSON body to every session of the user. */
    public void emit(String userId, String event, String json) {
        try {
            hub.emit(userRoom(userId), event, json, Set.of()).whenComplete((ok, error) -> {
                if (error != null) failed(event, error);
            });
        } catch (RuntimeException e) {
            failed(event, e);
        }
    }

    /** Live emits that failed since start. */
    public long failedCount() {
        return failed.get();
    }

    private void failed(String event, Throwable error) {
        failed.incrementAndGet();
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
        if (n > 0) log.warn("{} live notification event(s) could not be pushed while the broker was down (since {})", n, downSince);
    }
}
