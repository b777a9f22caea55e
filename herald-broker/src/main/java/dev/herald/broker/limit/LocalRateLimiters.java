package dev.herald.broker.limit;

import dev.herald.core.limit.RateLimit;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bucket4j buckets in this process: the limits of one node (no {@code REDIS_URL}).
 *
 * <p>Memory stays bounded by the keys active recently: every {@value #SWEEP_EVERY} calls, buckets
 * that have refilled completely are dropped (a new one for the key starts full, which is the same).
 *
 * <p>Threading: thread-safe, never blocks.
 */
public final class LocalRateLimiters implements RateLimiters {
    static final int SWEEP_EVERY = 4096;
    private final TimeMeter time;

    public LocalRateLimiters(Clock clock) {
        this.time = Buckets.timeOf(clock);
    }

    @Override
    public RateLimiter limiter(String scope, RateLimit limit) {
        return new Local(Buckets.configuration(limit), limit.permits());
    }

    private final class Local implements RateLimiter {
        private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
        private final AtomicLong calls = new AtomicLong();
        private final BucketConfiguration configuration;
        private final long capacity;

        Local(BucketConfiguration configuration, long capacity) {
            this.configuration = configuration;
            this.capacity = capacity;
        }

        @Override
        public Duration tryAcquire(String key) {
            if (calls.incrementAndGet() % SWEEP_EVERY == 0) buckets.values().removeIf(b -> b.getAvailableTokens() >= capacity);
            Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(configuration.getBandwidths()[0]).withCustomTimePrecision(time).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
        }
    }
}
