package dev.herald.core.limit;

import java.time.Duration;
import java.util.Objects;

/** {@code permits} per {@code per}, at most {@code permits} at once. */
public record RateLimit(long permits, Duration per) {
    public RateLimit {
        if (permits < 1) throw new IllegalArgumentException("a rate limit needs at least one permit, got " + permits);
        Objects.requireNonNull(per, "per");
        if (per.isNegative() || per.isZero()) throw new IllegalArgumentException("a rate limit's period must be positive");
    }

    public static RateLimit perSecond(long permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }

    public static RateLimit perMinute(long permits) {
        return new RateLimit(permits, Duration.ofMinutes(1));
    }
}
