package dev.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.OutboxStats;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pipeline's meters under the names docs/architecture.md gives, in the Prometheus text. */
class PipelineMetricsTest {
    private final HeraldMetrics metrics = new HeraldMetrics();
    private final AtomicReference<OutboxStats> outbox = new AtomicReference<>();
    private final PipelineMetrics pipeline = new PipelineMetrics(metrics, outbox::get);

    @Test
    void countsCreatesDeliveriesAndFailuresByTheirLabels() {
        pipeline.created("order", 3);
        pipeline.sent(Channel.WEBHOOK, Duration.ofMillis(12));
        pipeline.retried(Channel.WEBHOOK, "http 503");
        pipeline.failed(Channel.WEBHOOK, "http 410");
        pipeline.dead(Channel.WEBHOOK, "http 500");
        pipeline.skipped(Channel.EMAIL, "type_disabled");
        pipeline.held(Channel.WEBHOOK, "quiet_hours");

        String text = metrics.scrape();
        assertThat(text).contains("notifications_accepted_total{type=\"order\"} 3.0")
                .contains("notifications_delivered_total{channel=\"webhook\"} 1.0")
                .contains("notifications_delivery_retries_total{channel=\"webhook\"} 1.0")
                .contains("notifications_failed_total{channel=\"webhook\",reason=\"http 410\"} 1.0")
                .contains("notifications_failed_total{channel=\"webhook\",reason=\"dead\"} 1.0")
                .contains("notifications_dead_letters_total{channel=\"webhook\"} 1.0")
                .contains("notifications_skipped_total{channel=\"email\",reason=\"type_disabled\"} 1.0")
                .contains("notifications_held_total{channel=\"webhook\",reason=\"quiet_hours\"} 1.0")
                .contains("notification_delivery_latency_seconds_count{channel=\"webhook\"} 1")
                .contains("notifications_created_total{type=\"order\"} 3")
                .contains("notification_delivery_errors_total{channel=\"webhook\"} 3.0")
                .contains("queue_jobs_completed_total 1.0")
                .contains("queue_jobs_failed_total 2.0")
                .contains("notifications_delivery_failures_total{reason=\"dead\"} 1.0");
    }

    @Test
    void countsEmailsAndSmsSentAndSendsInProgress() {
        pipeline.sendStarted(Channel.EMAIL);
        assertThat(metrics.scrape()).contains("queue_jobs_active 1.0");
        pipeline.sendEnded(Channel.EMAIL, Duration.ofMillis(5));
        pipeline.sent(Channel.EMAIL, Duration.ofMillis(5));
        pipeline.sent(Channel.SMS, Duration.ofMillis(5));

        String text = metrics.scrape();
        assertThat(text).contains("queue_jobs_active 0.0").contains("notification_emails_sent_total 1.0")
                .contains("notification_sms_sent_total 1.0").contains("queue_job_duration_seconds_count 1")
                .containsPattern("notification_queue_processing_rate 0\\.0333");
    }

    @Test
    void keepsFreeFormReasonsOutOfTheLabels() {
        pipeline.failed(Channel.WEBHOOK, "something the provider wrote at length");
        assertThat(metrics.scrape()).contains("notifications_failed_total{channel=\"webhook\",reason=\"other\"} 1.0");
    }

    @Test
    void gaugesQueueDepthAndOldestDueAgeFromTheDispatchersLastLook() {
        assertThat(metrics.scrape()).contains("notifications_queue_depth{priority=\"high\"} 0.0");
        outbox.set(new OutboxStats(Map.of(Priority.HIGH, new OutboxStats.Queue(7, Duration.ofSeconds(42))), Map.of()));
        assertThat(metrics.scrape()).contains("notifications_queue_depth{priority=\"high\"} 7.0")
                .contains("notifications_queue_oldest_due_seconds{priority=\"high\"} 42.0");
    }
}
