package dev.herald.core.ingest;

/**
 * Turns a broker message into stored notifications through {@link NotificationIntake}, and says how
 * it went. Every broker consumer (NATS JetStream, Redis pub/sub, Redis Streams) calls one, so the
 * same body gets the same answer whichever broker carried it.
 *
 * <p>Threading: thread-safe and blocking (it calls the intake); call it from a virtual thread.
 */
public interface IngestHandler {
    /** Never throws: every failure is an {@link IngestOutcome.Poison} or {@link IngestOutcome.Retry}. */
    IngestOutcome handle(IngestMessage message);
}
