package dev.herald.broker.redis;

import dev.herald.broker.limit.Buckets;
import dev.herald.core.limit.RateLimit;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bucket4j buckets in Redis, one key per budget ({@code <prefix>rate:<scope>:<key>}), updated by
 * compare-and-swap, so every node of a cluster spends from the same budget. A key expires once its
 * bucket would be full again, so idle budgets cost Redis nothing.
 *
 * <p>When Redis cannot be reached, calls are let through (see {@link RateLimiter}); the WARN saying
 * so is written at most once a minute.
 *
 * <p>Threading: thread-safe; {@code tryAcquire} blocks for the Redis round trip(s) (virtual threads).
 */
public final class RedisRateLimiters implements RateLimiters, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiters.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private final StatefulRedisConnection<String, byte[]> connection;
    private final LettuceBasedProxyManager<String> buckets;
    private final String prefix;
    private final Clock clock;
    private final AtomicReference<Instant> lastWarning = new AtomicReference<>(Instant.MIN);

    public RedisRateLimiters(RedisConnector connector, String prefix, Clock clock) {
        this.connection = connector.connectBinary();
        this.prefix = prefix;
        this.clock = clock;
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .clientClock(Buckets.timeOf(clock))
                .requestTimeout(Duration.ofSeconds(2))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    @Override
    public RateLimiter limiter(String scope, RateLimit limit) {
        BucketConfiguration configuration = Buckets.configuration(limit);
        String base = prefix + "rate:" + scope + ":";
        return key -> {
            try {
                ConsumptionProbe probe = buckets.getProxy(base + key, () -> configuration).tryConsumeAndReturnRemaining(1);
                return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
            } catch (RuntimeException e) {
                warnOpen(scope, e);
                return Duration.ZERO;
            }
        };
    }

    private void warnOpen(String scope, RuntimeException e) {
        Instant now = clock.instant();
        Instant last = lastWarning.get();
        if (now.isBefore(last.plus(WARN_EVERY)) || !lastWarning.compareAndSet(last, now)) return;
        log.warn("rate limit {} could not reach Redis, letting calls through: {}", scope, e.toString());
    }

    @Override
    public void close() {
        connection.close();
    }
}
