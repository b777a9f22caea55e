package dev.herald.core.limit;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.time.Duration;

/**
 * A {@code RATE_LIMITED} refusal with the time after which a retry can succeed; every surface shows
 * it as {@code retryAfter} in whole seconds (at least 1), and HTTP as {@code Retry-After} too.
 */
public final class RateLimited extends HeraldException {
    private final Duration retryAfter;

    public RateLimited(String what, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, "too many " + what + ", retry after " + seconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter} rounded up to whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return Math.max(1, s);
    }
}
