package dev.herald.core.ingest;

import java.util.Objects;

/**
 * One message a broker handed Herald: a create request or a domain event, before anything is
 * parsed. The body is never logged (it is a message body); only its subject and size are.
 *
 * @param source where it came from ({@code nats}, {@code redis}, {@code redis-stream}, {@code rules})
 * @param subject the NATS subject, Redis channel or stream key it arrived on
 * @param body the raw bytes
 * @param messageKey the broker's id for it ({@code Nats-Msg-Id}, a stream entry id), used as the
 *     idempotency key when the body names none; null when the broker gives none
 */
public record IngestMessage(String source, String subject, byte[] body, String messageKey) {
    public IngestMessage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }
}
