package dev.herald.core.pipeline;

import dev.herald.core.store.Idempotency;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the notification pipeline.
 *
 * @param idempotencyWindow how long an Idempotency-Key answers with the first result (24 h)
 * @param retentionDays notifications older than this are purged ({@code RETENTION_DAYS})
 * @param purgeInterval how often the purge runs
 * @param schedulerPoll how often the scheduler looks for due rows it was not told about (other
 *     nodes' scheduled notifications, a clock jump)
 * @param maxRecipients the most recipients one create may name
 */
public record PipelineConfig(Duration idempotencyWindow, int retentionDays, Duration purgeInterval,
                          Duration schedulerPoll, int maxRecipients) {
    public PipelineConfig {
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        Objects.requireNonNull(schedulerPoll, "schedulerPoll");
        if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) throw new IllegalArgumentException("idempotencyWindow must be positive");
        if (retentionDays < 1) throw new IllegalArgumentException("RETENTION_DAYS must be 1 or more");
        if (purgeInterval.isNegative() || purgeInterval.isZero()) throw new IllegalArgumentException("purgeInterval must be positive");
        if (schedulerPoll.isNegative() || schedulerPoll.isZero()) throw new IllegalArgumentException("schedulerPoll must be positive");
        if (maxRecipients < 1) throw new IllegalArgumentException("maxRecipients must be 1 or more");
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Duration.ofHours(24), 90, Duration.ofHours(1), Duration.ofSeconds(1), 10_000);
    }

    public PipelineConfig withRetentionDays(int days) {
        return new PipelineConfig(idempotencyWindow, days, purgeInterval, schedulerPoll, maxRecipients);
    }
}
