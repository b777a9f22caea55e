package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
    private static Options options() {
        return new Options("t", "127.0.0.1", 7001, "socketio", "x".repeat(32), "k", "t", "bench", 10, 100, 1, 1,
                10, 1, 1, 0, null, 1, 1, 1, 5, 0, 1);
    }

    @Test
    void theWarmUpRunsAtATenthOfTheRateUnlessToldOtherwise() {
        assertThat(options().warmupRate()).isEqualTo(0.1);
        assertThat(options().withWarmupRate(1).warmupRate()).isEqualTo(1.0);
        assertThat(options().withWarmupRate(1).withConnections(20).warmupRate()).as("kept by every copy").isEqualTo(1.0);
    }

    @Test
    void aWarmUpRateOutsideZeroToOneIsRefusedByName() {
        assertThatThrownBy(() -> options().withWarmupRate(0)).hasMessageContaining("--warmup-rate");
        assertThatThrownBy(() -> options().withWarmupRate(1.5)).hasMessageContaining("--warmup-rate");
        assertThatThrownBy(() -> options().withWarmupRate(Double.NaN)).hasMessageContaining("--warmup-rate");
    }
}
