package dev.herald.core.pipeline;

import dev.herald.core.store.Idempotency;
import dev.herald.core.notification.Channel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Tuning of the notification pipeline.
 *
 * @param idempotencyWindow how long an Idempotency-Key answers with the first result (24 h)
 * @param retentionDays notifications older than this are purged ({@code RETENTION_DAYS})
 * @param purgeInterval how often the purge runs
 * @param schedulerPoll how often the scheduler looks for due rows it was not told about (other
 *     nodes' scheduled notifications, a clock jump)
 * @param maxRecipients the most recipients one create may name
 * @param channels the delivery channels this node has settings for; inApp always
 */
public record PipelineConfig(Duration idempotencyWindow, int retentionDays, Duration purgeInterval,
                             Duration schedulerPoll, int maxRecipients, Set<Channel> channels) {
    public PipelineConfig {
        channels = channels == null || channels.isEmpty() ? Set.of(Channel.IN_APP) : Set.copyOf(channels);
        if (!channels.contains(Channel.IN_APP)) throw new IllegalArgumentException("inApp is always configured");
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
        return new PipelineConfig(Duration.ofHours(24), 90, Duration.ofHours(1), Duration.ofSeconds(1), 10_000, Set.of(Channel.IN_APP));
    }

    public PipelineConfig withRetentionDays(int days) {
        return new PipelineConfig(idempotencyWindow, days, purgeInterval, schedulerPoll, maxRecipients, channels);
    }

    /** The delivery channels this node has settings for (inApp always); others are refused at create. */
    public PipelineConfig withChannels(Set<Channel> configured) {
        Set<Channel> all = new HashSet<>(configured);
        all.add(Channel.IN_APP);
        return new PipelineConfig(idempotencyWindow, retentionDays, purgeInterval, schedulerPoll, maxRecipients, all);
    }
}
