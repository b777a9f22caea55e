package dev.herald.core.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where broker messages that can never be stored are kept (DESIGN §4: "then dead-lettered"), with
 * why, so an operator can read, fix and resend them. The consumer acknowledges a message only
 * after {@link #record} returned, so a dead letter is never lost between the broker and here.
 *
 * <p>Threading: thread-safe and blocking (the store): call it from a virtual thread.
 */
public interface IngestDeadLetters {
    /** Keeps {@code letter}; the same id twice keeps one (a redelivered poison message). */
    void record(DeadLetter letter);

    /** The newest first, at most {@code limit}; {@code source} null means every source. */
    List<DeadLetter> recent(String source, int limit);

    /**
     * @param id unique per broker message (e.g. {@code nats:<stream>:<sequence>}), so a redelivery is kept once
     * @param body the message as received, as UTF-8 text (never logged)
     */
    record DeadLetter(String id, String source, String subject, String messageKey, String reason, String body,
                      Instant receivedAt) {
        public DeadLetter {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(receivedAt, "receivedAt");
            reason = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        }
    }
}
