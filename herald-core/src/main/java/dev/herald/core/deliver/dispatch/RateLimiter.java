package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;
import dev.herald.core.store.RateCounter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a send fits its recipient's limit on its channel in the current hour. The count
 * lives in the store ({@link RateCounter}), so every node sharing it enforces one limit. A message
 * past the limit is held until {@link #nextWindow}, never dropped. Thread-safe.
 */
final class RateLimiter {
    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    static final Duration WINDOW = Duration.ofHours(1);

    private final RateCounter counter;
    private final RateLimits limits;
    private volatile Instant purgedBefore = Instant.EPOCH;

    RateLimiter(RateCounter counter, RateLimits limits) {
        this.counter = counter;
        this.limits = limits;
    }

    /** True when the send may go now (and is counted); false when it must wait for the next window. */
    boolean admit(String recipientId, Channel channel, Instant now) {
        int limit = limits.of(channel);
        if (limit == 0) return true;
        Instant window = windowOf(now);
        purgeBefore(window.minus(WINDOW));
        return counter.tryCount(recipientId, channel, window, limit);
    }

    static Instant windowOf(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant nextWindow(Instant now) {
        return windowOf(now).plus(WINDOW);
    }

    /** Old windows go once per hour per node: a count is only read in its own hour. */
    private void purgeBefore(Instant before) {
        if (!before.isAfter(purgedBefore)) return;
        purgedBefore = before;
        try {
            counter.purge(before);
        } catch (RuntimeException e) {
            log.warn("rate windows before {} not purged; the next hour tries again: {}", before, e.toString());
        }
    }
}
