package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tuning of the dispatcher.
 *
 * @param shares concurrent sends per priority: each priority has its own, so a backlog of low never
 *     takes the slots of high (seed 003 §7)
 * @param lease how long a claim holds a row; longer than any send's timeout, so a live node's
 *     claim never lapses mid-send, and short enough that a dead node's rows come back soon
 * @param poll how often the outbox is looked at when nothing woke the dispatcher (rows written by
 *     other nodes, held rows falling due)
 * @param statsInterval how often queue depth and age are read for metrics
 * @param claimAhead due rows a priority may hold claimed beyond its free slots, so that one claim
 *     transaction serves several sends of a backlog (0: claim exactly what the free slots take);
 *     a row claimed ahead waits for a slot of its own priority, never longer than half its lease
 *     (then it is handed back unsent), and is handed back when the dispatcher closes
 */
public record DispatchConfig(Map<Priority, Integer> shares, Duration lease, Duration poll, Duration statsInterval,
                             RetryPolicy retry, int claimAhead) {
    /** The default {@link #claimAhead}; docs/decisions.md says why 16. */
    public static final int DEFAULT_CLAIM_AHEAD = 16;

    public DispatchConfig {
        Map<Priority, Integer> s = new EnumMap<>(Priority.class);
        s.put(Priority.URGENT, 16);
        s.put(Priority.HIGH, 8);
        s.put(Priority.MEDIUM, 4);
        s.put(Priority.LOW, 2);
        if (shares != null) s.putAll(shares);
        for (var e : s.entrySet()) if (e.getValue() < 1) throw new IllegalArgumentException(e.getKey() + " share must be 1 or more");
        shares = Map.copyOf(s);
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(statsInterval, "statsInterval");
        Objects.requireNonNull(retry, "retry");
        if (lease.toMillis() < 1 || poll.toMillis() < 1 || statsInterval.toMillis() < 1) {
            throw new IllegalArgumentException("lease, poll and statsInterval must be positive");
        }
        if (claimAhead < 0 || claimAhead > 1_000) throw new IllegalArgumentException("claimAhead must be 0..1000, was " + claimAhead);
    }

    public static DispatchConfig defaults() {
        return new DispatchConfig(Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(10),
                RetryPolicy.defaults(), DEFAULT_CLAIM_AHEAD);
    }

    public DispatchConfig withRetry(RetryPolicy policy) {
        return new DispatchConfig(shares, lease, poll, statsInterval, policy, claimAhead);
    }

    public DispatchConfig withTimings(Duration newLease, Duration newPoll) {
        return new DispatchConfig(shares, newLease, newPoll, statsInterval, retry, claimAhead);
    }

    public DispatchConfig withClaimAhead(int rows) {
        return new DispatchConfig(shares, lease, poll, statsInterval, retry, rows);
    }
}
