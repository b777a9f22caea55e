package dev.herald.core.route;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's live fan-out backlog: deliveries handed to the gateway's event loops and not yet
 * written by them, and the bound past which a new publish is refused instead of queued. The event
 * loops' task queues have no bound of their own, so without this a saturating publisher makes them
 * hold seconds of messages (bench/RESULTS.md: p99 50 s) where refusing at the door costs nothing
 * already accepted: what was counted here is always delivered (or dropped with its slow client).
 *
 * <p>Whoever hands deliveries to a loop calls {@link #handedOff} first, and {@link #written} is
 * called for each exactly once, whatever happened to the sessions meanwhile: by the loop task when
 * it ran, or (the gateway's shared frames) when the write left the channel's outbound buffer, so a
 * backlog of frames waiting for slow clients counts too.
 *
 * <p>Threading: thread-safe, lock-free, one atomic per call; never blocks.
 */
public final class FanOutBacklog {
    /** How long a refused publisher is told to wait: the bound drains in well under that (docs/decisions.md). */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final long limit;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** @param limit deliveries the loops may hold before publishes are refused; 0 for no bound */
    public FanOutBacklog(long limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be 0 (no bound) or positive");
        this.limit = limit;
    }

    public static FanOutBacklog unbounded() {
        return new FanOutBacklog(0);
    }

    public void handedOff(int deliveries) {
        pending.addAndGet(deliveries);
    }

    public void written(int deliveries) {
        pending.addAndGet(-deliveries);
    }

    /** Deliveries handed to loops and not yet written. */
    public long pending() {
        return pending.get();
    }

    public long limit() {
        return limit;
    }

    /** Publishes refused so far by {@link #admit}. */
    public long refusals() {
        return refused.get();
    }

    /**
     * Refuses, with {@link Overloaded}, a publish of {@code deliveries} local deliveries that would
     * take the backlog past the bound. An empty backlog takes any publish, so a room bigger than
     * the bound can still be reached; the check and the hand-off are not atomic, so concurrent
     * publishers may pass the bound by one publish each, which is the point of refusing early.
     */
    public void admit(int deliveries) {
        if (limit == 0) return;
        long now = pending.get();
        if (now > 0 && now + deliveries > limit) {
            refused.incrementAndGet();
            throw new Overloaded(now);
        }
    }

    /** An {@code OVERLOADED} refusal: nothing was sent, and a retry after {@link #RETRY_AFTER} may pass. */
    public static final class Overloaded extends HeraldException {
        Overloaded(long backlog) {
            super(ErrorCode.OVERLOADED, "this node's live fan-out backlog is full (" + backlog
                    + " deliveries queued); nothing was sent, retry after " + RETRY_AFTER.toSeconds() + " s");
        }

        public long retryAfterSeconds() {
            return RETRY_AFTER.toSeconds();
        }
    }
}
