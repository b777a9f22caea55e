package dev.herald.core.store;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import java.util.Map;

/**
 * The outbox at one moment.
 *
 * @param queued per priority: rows waiting (pending or held) and due now, and how long the oldest
 *     of them has been due ({@link Duration#ZERO} when none)
 * @param counts rows by channel and status, every status that has rows
 */
public record OutboxStats(Map<Priority, Queue> queued, Map<Channel, Map<DeliveryStatus, Long>> counts) {
    public OutboxStats {
        queued = Map.copyOf(queued);
        counts = Map.copyOf(counts);
    }

    public record Queue(long due, Duration oldestDueAge) {}

    public long count(Channel channel, DeliveryStatus status) {
        return counts.getOrDefault(channel, Map.of()).getOrDefault(status, 0L);
    }
}
