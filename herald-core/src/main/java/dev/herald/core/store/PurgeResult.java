package dev.herald.core.store;

/** What a purge removed: expired notifications, ones older than retention, dead idempotency keys. */
public record PurgeResult(int expired, int old, int idempotencyKeys) {
    public int total() {
        return expired + old + idempotencyKeys;
    }
}
