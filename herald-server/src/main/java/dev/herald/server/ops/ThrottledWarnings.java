package dev.herald.server.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Decides which WARN lines of a kind a hostile client cannot multiply: per {@code window}, one line
 * per key and at most {@code maxLines} in all; what was left out is counted and handed to
 * {@code reportSuppressed} when the next window opens, so the log still says how many there were.
 *
 * <p>Threading: thread-safe; the lock is held for a set lookup only.
 */
public final class ThrottledWarnings {
    private final Clock clock;
    private final Duration window;
    private final int maxLines;
    private final LongConsumer reportSuppressed;
    private final Set<String> seen = new HashSet<>();
    private Instant windowStart = Instant.MIN;
    private int lines;
    private long suppressed;

    public ThrottledWarnings(Clock clock, Duration window, int maxLines, LongConsumer reportSuppressed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = window;
        this.maxLines = maxLines;
        this.reportSuppressed = reportSuppressed;
    }

    /** True when the line about {@code key} should be written now. */
    public boolean admit(String key) {
        long dropped;
        boolean admitted;
        synchronized (this) {
            Instant now = clock.instant();
            dropped = 0;
            if (!now.isBefore(windowStart.plus(window))) {
                dropped = suppressed;
                windowStart = now;
                seen.clear();
                lines = 0;
                suppressed = 0;
            }
            admitted = lines < maxLines && seen.add(key);
            if (admitted) lines++;
            else suppressed++;
        }
        if (dropped > 0) reportSuppressed.accept(dropped);
        return admitted;
    }
}
