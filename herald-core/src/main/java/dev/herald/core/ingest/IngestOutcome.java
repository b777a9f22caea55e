package dev.herald.core.ingest;

import dev.herald.core.HeraldException;
import dev.herald.core.notification.Created;
import java.util.List;

/**
 * What became of one {@link IngestMessage}; the consumer acknowledges accordingly: {@link Stored}
 * and {@link Skipped} are acknowledged, {@link Poison} is dead-lettered and acknowledged (never
 * retried: it would fail the same way), {@link Retry} is left for redelivery.
 */
public sealed interface IngestOutcome {
    /** The notifications are durable (or were already, for a repeated idempotency key). */
    record Stored(List<Created> created) implements IngestOutcome {
        public Stored {
            created = List.copyOf(created);
        }
    }

    /** Nothing to store, by design (an event no rule's {@code when} matched). */
    record Skipped(String why) implements IngestOutcome {}

    /** Can never be stored as it is: bad JSON, a refused field, a channel not configured. */
    record Poison(String reason) implements IngestOutcome {}

    /** Failed for a reason that may pass (the store is down); try again later. */
    record Retry(String reason) implements IngestOutcome {}

    /**
     * Sorts a failure: a refusal of the request itself (a 4xx code other than rate limiting) is
     * poison, anything else (store unavailable, internal error) may pass and is retried.
     */
    static IngestOutcome ofFailure(RuntimeException e) {
        if (e instanceof HeraldException h) {
            int status = h.code().httpStatus();
            if (status >= 400 && status < 500 && status != 429) return new Poison(h.code().name() + ": " + h.getMessage());
            return new Retry(h.code().name() + ": " + h.getMessage());
        }
        return new Retry(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
}
