package dev.herald.core.limit;

/**
 * Makes the limiter of one scope ({@code api}, {@code user_events}, {@code handshake},
 * {@code broadcast}): in-process (one node) or shared through Redis (every node spends from the same
 * budget). Keys of different scopes never share a budget.
 *
 * <p>Threading: thread-safe; the limiters it makes follow {@link RateLimiter}'s contract.
 */
public interface RateLimiters {
    RateLimiter limiter(String scope, RateLimit limit);
}
