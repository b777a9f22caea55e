package dev.herald.broker.nats.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One durable JetStream pull consumer Herald runs: the {@code herald} consumer of create requests
 * on {@code notifications.>} (seed 004's batch of 10, 1 s wait, MaxDeliver 3, AckWait 30 s), or the
 * {@code herald-rules} consumer of domain events.
 *
 * @param stream the stream's name; created over {@code subjects} when missing and {@code createStream}
 * @param retention {@code limits}, {@code workqueue} or {@code interest}, used only when creating the stream
 * @param replicas used only when creating the stream
 * @param dlqPrefix a dead letter is published to {@code dlqPrefix + subject}; messages on such a
 *     subject (the stream may cover them) are never taken for create requests
 */
public record JetStreamIngestConfig(String stream, List<String> subjects, String retention, int replicas,
                                    boolean createStream, String durable, int batch, Duration fetchWait, int maxDeliver,
                                    Duration ackWait, String dlqPrefix) {
    public static final String DEFAULT_STREAM = "HERALD_NOTIFICATIONS";
    public static final String DEFAULT_SUBJECT = "notifications.>";
    public static final String DEFAULT_DURABLE = "herald";
    public static final String DEFAULT_DLQ_PREFIX = "notifications.dlq.";

    public JetStreamIngestConfig {
        if (stream == null || !stream.matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("stream name: 1-64 letters, digits, _ or -");
        if (durable == null || !durable.matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("consumer name: 1-64 letters, digits, _ or -");
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) throw new IllegalArgumentException("a stream needs at least one subject");
        Objects.requireNonNull(retention, "retention");
        if (!List.of("limits", "workqueue", "interest").contains(retention)) throw new IllegalArgumentException("retention: limits, workqueue or interest");
        if (replicas < 1 || replicas > 5) throw new IllegalArgumentException("replicas: 1 to 5");
        if (batch < 1 || batch > 1000) throw new IllegalArgumentException("batch: 1 to 1000");
        if (maxDeliver < 1) throw new IllegalArgumentException("max deliver: at least 1");
        Objects.requireNonNull(fetchWait, "fetchWait");
        Objects.requireNonNull(ackWait, "ackWait");
        if (dlqPrefix == null || dlqPrefix.isBlank() || !dlqPrefix.endsWith(".")) throw new IllegalArgumentException("dead-letter prefix must end with a dot");
    }

    /** Seed 004's consumer of create requests, on {@code notifications.>}. */
    public static JetStreamIngestConfig defaults() {
        return new JetStreamIngestConfig(DEFAULT_STREAM, List.of(DEFAULT_SUBJECT), "limits", 1, false, DEFAULT_DURABLE, 10,
                Duration.ofSeconds(1), 3, Duration.ofSeconds(30), DEFAULT_DLQ_PREFIX);
    }

    public JetStreamIngestConfig withStream(String newStream, List<String> newSubjects) {
        return new JetStreamIngestConfig(newStream, newSubjects, retention, replicas, createStream, durable, batch, fetchWait,
                maxDeliver, ackWait, dlqPrefix);
    }

    public JetStreamIngestConfig withDurable(String newDurable) {
        return new JetStreamIngestConfig(stream, subjects, retention, replicas, createStream, newDurable, batch, fetchWait,
                maxDeliver, ackWait, dlqPrefix);
    }

    public JetStreamIngestConfig withCreation(boolean create, String newRetention, int newReplicas) {
        return new JetStreamIngestConfig(stream, subjects, newRetention, newReplicas, create, durable, batch, fetchWait,
                maxDeliver, ackWait, dlqPrefix);
    }

    public JetStreamIngestConfig withDelivery(int newMaxDeliver, Duration newAckWait) {
        return new JetStreamIngestConfig(stream, subjects, retention, replicas, createStream, durable, batch, fetchWait,
                newMaxDeliver, newAckWait, dlqPrefix);
    }

    public JetStreamIngestConfig withDlqPrefix(String newPrefix) {
        return new JetStreamIngestConfig(stream, subjects, retention, replicas, createStream, durable, batch, fetchWait,
                maxDeliver, ackWait, newPrefix);
    }
}
