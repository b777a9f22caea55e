package dev.herald.gateway;

import java.time.Clock;

/**
 * A per-connection event budget: {@code burst} events at once, refilled at {@code perSecond}.
 * Thread-safe; the time comes from the injected clock.
 */
public final class TokenBucket {
    private final double perMilli;
    private final int burst;
    private final Clock clock;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, int burst, Clock clock) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.millis();
    }

    /** Takes one token; false means the event is over the limit. */
    public synchronized boolean tryTake() {
        long now = clock.millis();
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perMilli);
            last = now;
        }
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
