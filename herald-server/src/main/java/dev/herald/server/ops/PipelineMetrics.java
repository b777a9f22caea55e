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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The pipeline's and the dispatcher's meters (DESIGN §8, seed 003 and 004 names): created by type,
 * delivered and failed by channel, retries, dead letters, skips and holds with their reason, send
 * latency, the 003 {@code queue_jobs_*} family, the 004 {@code notification_*} delivery family, and
 * queue depth and oldest due age per priority (read from the dispatcher's last look at the outbox,
 * never from the database on a scrape). The dispatcher calls it for every channel's sender, so a
 * new sender is counted without code of its own here.
 */
public final class PipelineMetrics implements PipelineObserver, DispatchObserver {
    private final HeraldMetrics metrics;
    private final MeterRegistry registry;
    private final AtomicInteger activeSends = new AtomicInteger();
    private final Timer jobDuration;
    private final Counter jobsCompleted;
    private final Counter jobsFailed;
    private final ProcessingRate processed = new ProcessingRate(System::nanoTime);

    public PipelineMetrics(HeraldMetrics metrics, Supplier<OutboxStats> outbox) {
        this.metrics = metrics;
        this.registry = metrics.registry();
        Gauge.builder("queue.jobs.active", activeSends, AtomicInteger::get)
                .description("Sends in progress in this node's dispatcher").register(registry);
        jobDuration = Timer.builder("queue.job.duration").publishPercentileHistogram()
                .description("How long one sender call took, whatever its outcome").register(registry);
        jobsCompleted = Counter.builder("queue.jobs.completed")
                .description("Deliveries settled without error: sent, or settled unsent (read, online, expired)").register(registry);
        jobsFailed = Counter.builder("queue.jobs.failed")
                .description("Deliveries that failed for good or went dead").register(registry);
        Gauge.builder("notification.queue.depth", () -> totalDue(outbox))
                .description("Deliveries due and waiting, every priority").register(registry);
        Gauge.builder("notification.queue.processing.rate", processed, ProcessingRate::perSecond)
                .description("Deliveries settled per second over the last minute").register(registry);
        Counter.builder("notification.emails.sent").description("Emails handed to the provider").register(registry);
        Counter.builder("notification.sms.sent").description("SMS handed to the provider").register(registry);
        for (Channel c : Channel.values()) {
            if (c == Channel.IN_APP) continue;
            latency(c);
            errors(c);
        }
        for (Priority p : Priority.values()) {
            Gauge.builder("notifications.queue.depth", () -> queue(outbox, p).due())
                    .description("deliveries due and waiting for a dispatcher slot").tag("priority", p.wireName())
                    .register(registry);
            Gauge.builder("notifications.queue.oldest.due.seconds", () -> queue(outbox, p).oldestDueAge().toMillis() / 1000.0)
                    .description("how long the oldest due delivery has waited").tag("priority", p.wireName())
                    .register(registry);
        }
    }

    private static long totalDue(Supplier<OutboxStats> outbox) {
        OutboxStats s = outbox.get();
        return s == null ? 0 : s.queued().values().stream().mapToLong(OutboxStats.Queue::due).sum();
    }

    private static OutboxStats.Queue queue(Supplier<OutboxStats> outbox, Priority p) {
        OutboxStats s = outbox.get();
        OutboxStats.Queue q = s == null ? null : s.queued().get(p);
        return q == null ? new OutboxStats.Queue(0, Duration.ZERO) : q;
    }

    @Override
    public void created(String type, int count) {
        Counter.builder("notifications.accepted").tag("type", type).register(registry).increment(count);
        metrics.created(type, count);
    }

    @Override
    public void sendStarted(Channel channel) {
        activeSends.incrementAndGet();
    }

    @Override
    public void sendEnded(Channel channel, Duration took) {
        activeSends.decrementAndGet();
        jobDuration.record(took);
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
        latency(channel).record(latency);
        if (channel == Channel.EMAIL) registry.counter("notification.emails.sent").increment();
        if (channel == Channel.SMS) registry.counter("notification.sms.sent").increment();
        settled();
        jobsCompleted.increment();
    }

    @Override
    public void retried(Channel channel, String reason) {
        Counter.builder("notifications.delivery.retries").tag("channel", channel.wire()).register(registry).increment();
        deliveryError(channel);
    }

    @Override
    public void failed(Channel channel, String reason) {
        String label = reasonClass(reason);
        Counter.builder("notifications.failed").tag("channel", channel.wire()).tag("reason", label)
                .register(registry).increment();
        metrics.deliveryFailed(label);
        deliveryError(channel);
        settled();
        jobsFailed.increment();
    }

    @Override
    public void dead(Channel channel, String reason) {
        Counter.builder("notifications.dead.letters").tag("channel", channel.wire()).register(registry).increment();
        Counter.builder("notifications.failed").tag("channel", channel.wire()).tag("reason", "dead")
                .register(registry).increment();
        metrics.deliveryFailed("dead");
        deliveryError(channel);
        settled();
        jobsFailed.increment();
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
        settled();
        jobsCompleted.increment();
    }

    private void deliveryError(Channel channel) {
        errors(channel).increment();
    }

    private Timer latency(Channel channel) {
        return Timer.builder("notification.delivery.latency").tag("channel", channel.wire()).publishPercentileHistogram()
                .description("How long the provider took to accept a delivery, by channel").register(registry);
    }

    private Counter errors(Channel channel) {
        return Counter.builder("notification.delivery.errors").tag("channel", channel.wire())
                .description("Failed delivery attempts (retried, failed, dead), by channel").register(registry);
    }

    private void settled() {
        processed.record();
    }

    /** A bounded label: {@code http 410} and {@code smtp 550} stay, anything free-form becomes {@code other}. */
    static String reasonClass(String reason) {
        if (reason == null) return "unknown";
        if (reason.matches("(http|smtp) \\d{3}") || reason.matches("[a-z_]{1,32}")) return reason;
        return "other";
    }
}
