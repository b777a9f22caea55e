package dev.herald.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a durable ingestion source reports, tagged {@code source}: messages stored
 * ({@code herald_ingest_stored_total}), dead-lettered ({@code herald_ingest_dead_total}) and left
 * for a retry ({@code herald_ingest_retried_total}).
 */
public record IngestMeters(Counter stored, Counter dead, Counter retried) {
    public static IngestMeters register(MeterRegistry meters, String source) {
        return new IngestMeters(
                Counter.builder("herald.ingest.stored").tag("source", source)
                        .description("Broker messages stored as notifications (or skipped by design)").register(meters),
                Counter.builder("herald.ingest.dead").tag("source", source)
                        .description("Broker messages that can never be stored, kept as dead letters").register(meters),
                Counter.builder("herald.ingest.retried").tag("source", source)
                        .description("Broker messages left for redelivery after a transient failure").register(meters));
    }
}
