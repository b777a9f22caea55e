package dev.herald.broker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.limit.RateLimit;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import dev.herald.core.limit.RateLimitersContract;
import org.junit.jupiter.api.Test;

class LocalRateLimitersTest extends RateLimitersContract {
    private final LocalRateLimiters limiters = new LocalRateLimiters(clock);

    @Override
    protected RateLimiters limiters() {
        return limiters;
    }

    @Test
    void aKeyWhoseBucketRefilledIsSweptAndStartsFullAgain() {
        RateLimiter limiter = limiters.limiter("handshake", RateLimit.perMinute(1));
        limiter.tryAcquire("203.0.113.9");
        clock.advance(java.time.Duration.ofMinutes(2));

        for (int i = 0; i < LocalRateLimiters.SWEEP_EVERY; i++) limiter.tryAcquire("198.51.100." + (i % 200));

        assertThat(limiter.tryAcquire("203.0.113.9")).isZero();
    }
}
