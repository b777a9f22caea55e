package dev.herald.server.security;

import dev.herald.core.limit.RateLimit;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import dev.herald.server.ops.ThrottledWarnings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiters of every scope, each refusal counted in {@code notifications_rate_limited_total{scope}} and logged
 * at WARN with the scope, the key (a user id, a client IP, or a caller's credential digest: never a
 * credential) and the wait; at most one line per scope and key a minute and
 * {@value #MAX_LINES} lines a minute in all, the rest reported as a count.
 *
 * <p>Threading: thread-safe.
 */
final class WatchedLimits {
    static final String METRIC = "notifications.rate.limited";
    static final int MAX_LINES = 20;
    private static final Logger log = LoggerFactory.getLogger(WatchedLimits.class);

    private final RateLimiters limiters;
    private final MeterRegistry registry;
    private final ThrottledWarnings throttle;

    WatchedLimits(RateLimiters limiters, MeterRegistry registry, Clock clock) {
        this.limiters = limiters;
        this.registry = registry;
        this.throttle = new ThrottledWarnings(clock, Duration.ofMinutes(1), MAX_LINES, dropped ->
                log.warn("{} more rate-limit refusal(s) in the previous minute were not logged one by one", dropped));
    }

    /** The scope's limiter, or {@link RateLimiter#UNLIMITED} when {@code permits} is 0 (switched off). */
    RateLimiter limiter(String scope, int permits, Duration per) {
        if (permits <= 0) return RateLimiter.UNLIMITED;
        RateLimiter inner = limiters.limiter(scope, new RateLimit(permits, per));
        Counter refused = Counter.builder(METRIC).description("requests and events refused by a rate limit")
                .tag("scope", scope).register(registry);
        return key -> {
            Duration wait = inner.tryAcquire(key);
            if (!wait.isZero()) {
                refused.increment();
                if (throttle.admit(scope + " " + key)) {
                    log.warn("rate limit {} refused {} ({} per {}); retry after {} ms", scope, key, permits, per, wait.toMillis());
                }
            }
            return wait;
        };
    }
}
