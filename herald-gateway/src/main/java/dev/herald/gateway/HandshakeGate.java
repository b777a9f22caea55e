package dev.herald.gateway;

import dev.herald.core.limit.RateLimited;
import dev.herald.core.limit.RateLimiter;
import java.util.Objects;

/**
 * The per-IP budget of session handshakes (Socket.IO CONNECT, /ws auth), asked before any JWT work
 * so a flood of forged tokens costs a bucket lookup each, not a signature check. Unlimited until
 * {@link GatewayServer#limitHandshakes} sets a limiter.
 *
 * <p>Threading: thread-safe; {@link #check} may block (a shared limiter asks Redis), so the
 * namespaces and /ws call it on the session's virtual thread.
 */
public final class HandshakeGate {
    private volatile RateLimiter limiter = RateLimiter.UNLIMITED;

    void limit(RateLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** Null when the handshake may go on; otherwise the refusal to send. */
    public RateLimited check(String clientIp) {
        return limiter.check(clientIp == null || clientIp.isBlank() ? "unknown" : clientIp, "handshakes");
    }
}
