package dev.herald.core.store;

import java.time.Instant;

/**
 * Housekeeping of the inbox. Threading: blocking; called from the service's scheduler thread.
 */
public interface InboxMaintenance {
    /**
     * Deletes notifications expired at {@code now}, notifications whose inbox time is before
     * {@code createdBefore} (retention), and idempotency keys expired at {@code now}. Runs in
     * bounded batches so it never holds a long lock; safe to run on several nodes at once.
     */
    PurgeResult purge(Instant now, Instant createdBefore);
}
