package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServerLatencyTest {
    private static final String EXPOSITION = """
            # HELP notifications_message_delivery_duration_seconds From API call to frames queued
            # TYPE notifications_message_delivery_duration_seconds histogram
            notifications_message_delivery_duration_seconds_bucket{node="a",le="0.001"} 50.0
            notifications_message_delivery_duration_seconds_bucket{node="a",le="0.002"} 90.0
            notifications_message_delivery_duration_seconds_bucket{node="a",le="0.004"} 99.0
            notifications_message_delivery_duration_seconds_bucket{node="a",le="+Inf"} 100.0
            notifications_message_delivery_duration_seconds_count{node="a"} 100.0
            notifications_delivered_total{channel="in_app"} 7.0
            """;

    @Test
    void readsTheCumulativeBucketsOfTheDeliveryHistogramOnly() {
        TreeMap<Double, Double> buckets = ServerLatency.parse(EXPOSITION);

        assertThat(buckets).containsEntry(0.001, 50.0).containsEntry(0.004, 99.0)
                .containsEntry(Double.POSITIVE_INFINITY, 100.0).hasSize(4);
    }

    @Test
    void givesThePercentileAsTheUpperBoundOfTheBucketHoldingIt() {
        TreeMap<Double, Double> buckets = ServerLatency.parse(EXPOSITION);

        assertThat(ServerLatency.percentileMicros(buckets, 100, 0.50)).isEqualTo(1_000);
        assertThat(ServerLatency.percentileMicros(buckets, 100, 0.90)).isEqualTo(2_000);
        assertThat(ServerLatency.percentileMicros(buckets, 100, 0.99)).isEqualTo(4_000);
    }

    @Test
    void saysUnknownWhenThePercentileIsPastTheLastFiniteBucket() {
        TreeMap<Double, Double> buckets = ServerLatency.parse(EXPOSITION);

        assertThat(ServerLatency.percentileMicros(buckets, 100, 1.0)).isEqualTo(-1);
    }
}
