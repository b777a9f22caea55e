package dev.herald.core.limit;

import java.time.Duration;

/**
 * One budget per key (a user, a client IP, a service caller): {@link RateLimit#permits()} per
 * {@link RateLimit#per()}, refilled smoothly. Built by {@link RateLimiters}, one per scope.
 *
 * <p>Threading: thread-safe. A cluster-wide limiter asks Redis, so {@link #tryAcquire} may block
 * for a round trip: call it on a virtual thread, never on a network event loop. When its store is
 * unreachable it lets the call through (a limit must not turn an outage of Redis into an outage
 * of Herald) and says so in the log.
 */
@FunctionalInterface
public interface RateLimiter {
    /** Lets everything through. */
    RateLimiter UNLIMITED = key -> Duration.ZERO;

    /**
     * Takes one permit from {@code key}'s budget.
     *
     * @return {@link Duration#ZERO} when taken; otherwise how long until one is free again (the
     *     {@code retryAfter} a refusal tells)
     */
    Duration tryAcquire(String key);

    /**
     * @return a {@link RateLimited} for the refusal, or null when the permit was taken
     */
    default RateLimited check(String key, String what) {
        Duration wait = tryAcquire(key);
        return wait.isZero() ? null : new RateLimited(what, wait);
    }
}
