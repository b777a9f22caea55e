package dev.herald.broker.limit;

import dev.herald.core.limit.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** What both bucket4j limiters share: one bucket shape per {@link RateLimit}, time from the injected clock. */
public final class Buckets {
    private Buckets() {}

    /**
     * {@code permits} at once, refilled greedily (a permit every {@code per / permits}), so a
     * refused caller waits for one permit, not for the whole window.
     */
    public static BucketConfiguration configuration(RateLimit limit) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.permits()).refillGreedy(limit.permits(), limit.per()).build())
                .build();
    }

    /** The clock as bucket4j's time source (nanoseconds since the epoch). */
    public static TimeMeter timeOf(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
