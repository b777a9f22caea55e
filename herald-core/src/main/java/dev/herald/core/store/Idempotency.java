package dev.herald.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An idempotency key as stored: {@code key} already scoped by the caller (e.g.
 * {@code "svc-orders:7f3c"}), a {@code fingerprint} of the request it answered, and when the key
 * stops deduplicating.
 */
public record Idempotency(String key, String fingerprint, Instant expiresAt) {
    public Idempotency {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
