package dev.herald.server.ops;

import dev.herald.core.deliver.dispatch.DispatchObserver;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Priority;
import dev.herald.core.pipeline.PipelineObserver;
import dev.herald.core.store.OutboxStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The pipeline's and the dispatcher's meters (DESIGN §8, seed 003 names): created by type,
 * delivered and failed by channel, retries, dead letters, skips and holds with their reason, send
 * latency, and queue depth and oldest due age per priority (read from the dispatcher's last look at
 * the outbox, never from the database on a scrape).
 */
public final class PipelineMetrics implements PipelineObserver, DispatchObserver {
    private final MeterRegistry registry;

    public PipelineMetrics(MeterRegistry registry, Supplier<OutboxStats> outbox) {
        this.registry = registry;
        for (Priority p : Priority.values()) {
            Gauge.builder("notifications.queue.depth", () -> queue(outbox, p).due())
                    .description("deliveries due and waiting for a dispatcher slot").tag("priority", p.wireName())
                    .register(registry);
            Gauge.builder("notifications.queue.oldest.due.seconds", () -> queue(outbox, p).oldestDueAge().toMillis() / 1000.0)
                    .description("how long the oldest due delivery has waited").tag("priority", p.wireName())
                    .register(registry);
        }
    }

    private static OutboxStats.Queue queue(Supplier<OutboxStats> outbox, Priority p) {
        OutboxStats s = outbox.get();
        OutboxStats.Queue q = s == null ? null : s.queued().get(p);
        return q == null ? new OutboxStats.Queue(0, Duration.ZERO) : q;
    }

    @Override
    public void created(String type, int count) {
        Counter.builder("notifications.accepted").tag("type", type).register(registry).increment(count);
    }

    @Override
    public void skipped(Channel channel, String reason) {
        Counter.builder("notifications.skipped").tag("channel", channel.wire()).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void held(Channel channel, String reason) {
        Counter.builder("notifications.held").tag("channel", channel.wire()).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void sent(Channel channel, Duration latency) {
        Counter.builder("notifications.delivered").tag("channel", channel.wire()).register(registry).increment();
        Timer.builder("notifications.delivery.latency").tag("channel", channel.wire()).register(registry).record(latency);
    }

    @Override
    public void retried(Channel channel, String reason) {
        Counter.builder("notifications.delivery.retries").tag("channel", channel.wire()).register(registry).increment();
    }

    @Override
    public void failed(Channel channel, String reason) {
        Counter.builder("notifications.failed").tag("channel", channel.wire()).tag("reason", reasonClass(reason))
                .register(registry).increment();
    }

    @Override
    public void dead(Channel channel, String reason) {
        Counter.builder("notifications.dead.letters").tag("channel", channel.wire()).register(registry).increment();
        Counter.builder("notifications.failed").tag("channel", channel.wire()).tag("reason", "dead")
                .register(registry).increment();
    }

    @Override
    public void rateLimited(Channel channel) {
        Counter.builder("notifications.rate.limited").description("sends held for the next hour by a per-user rate limit")
                .tag("channel", channel.wire()).register(registry).increment();
    }

    @Override
    public void settledUnsent(Channel channel, String status) {
        Counter.builder("notifications.settled.unsent").tag("channel", channel.wire()).tag("status", status)
                .register(registry).increment();
    }

    /** A bounded label: {@code http 410} and {@code smtp 550} stay, anything free-form becomes {@code other}. */
    static String reasonClass(String reason) {
        if (reason == null) return "unknown";
        if (reason.matches("(http|smtp) \\d{3}") || reason.matches("[a-z_]{1,32}")) return reason;
        return "other";
    }
}
