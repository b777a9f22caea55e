package dev.herald.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiters} adapter guarantees; each adapter's test extends this. */
public abstract class RateLimitersContract {
    protected final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    /** Keys unique to this run, so adapters sharing a store with other runs never meet their budgets. */
    protected final String run = UUID.randomUUID().toString();

    /** Adapters under test, reading time from {@link #clock}; two calls may share a store (two nodes). */
    protected abstract RateLimiters limiters();

    @Test
    public void grantsThePermitsOfTheLimitThenRefusesWithTheTimeUntilTheNextOne() {
        RateLimiter limiter = limiters().limiter("events", RateLimit.perMinute(3));

        for (int i = 0; i < 3; i++) assertThat(limiter.tryAcquire(run + "alice")).isZero();
        Duration wait = limiter.tryAcquire(run + "alice");

        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
    }

    @Test
    public void aRefusedKeyGetsAPermitAgainOnceTheWaitIsOver() {
        RateLimiter limiter = limiters().limiter("events", RateLimit.perMinute(2));
        limiter.tryAcquire(run + "bob");
        limiter.tryAcquire(run + "bob");
        Duration wait = limiter.tryAcquire(run + "bob");

        clock.advance(wait);

        assertThat(limiter.tryAcquire(run + "bob")).isZero();
    }

    @Test
    public void keysAndScopesHaveBudgetsOfTheirOwn() {
        RateLimiter events = limiters().limiter("events", RateLimit.perMinute(1));
        RateLimiter handshakes = limiters().limiter("handshakes", RateLimit.perMinute(1));
        events.tryAcquire(run + "carol");

        assertThat(events.tryAcquire(run + "carol")).isPositive();
        assertThat(events.tryAcquire(run + "dave")).isZero();
        assertThat(handshakes.tryAcquire(run + "carol")).isZero();
    }

    @Test
    public void checkAnswersARateLimitedRefusalWithRetryAfterInWholeSeconds() {
        RateLimiter limiter = limiters().limiter("events", RateLimit.perMinute(1));
        assertThat(limiter.check(run + "erin", "events")).isNull();

        RateLimited refusal = limiter.check(run + "erin", "events");

        assertThat(refusal.code()).isEqualTo(dev.herald.core.ErrorCode.RATE_LIMITED);
        assertThat(refusal.retryAfterSeconds()).isBetween(1L, 60L);
        assertThat(refusal.getMessage()).contains("too many events");
    }
}
