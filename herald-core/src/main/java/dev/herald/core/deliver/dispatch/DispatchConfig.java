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
 */
public record DispatchConfig(Map<Priority, Integer> shares, Duration lease, Duration poll, Duration statsInterval,
                             RetryPolicy retry) {
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
    }

    public static DispatchConfig defaults() {
        return new DispatchConfig(Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(10),
                RetryPolicy.defaults());
    }

    public DispatchConfig withRetry(RetryPolicy policy) {
        return new DispatchConfig(shares, lease, poll, statsInterval, policy);
    }

    public DispatchConfig withTimings(Duration newLease, Duration newPoll) {
        return new DispatchConfig(shares, newLease, newPoll, statsInterval, retry);
    }
}
