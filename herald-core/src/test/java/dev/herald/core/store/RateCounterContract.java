package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link RateCounter} must do. */
public abstract class RateCounterContract extends PortContract {
    private Instant window() {
        return Instant.parse("2026-01-01T08:00:00Z");
    }

    @Test
    void countsUpToTheLimitAndRefusesPastIt() {
        String amy = user("amy");
        for (int i = 0; i < 3; i++) assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window(), 3)).as("send %d", i + 1).isTrue();

        assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window(), 3)).isFalse();
        assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window(), 3)).isFalse();
    }

    @Test
    void eachRecipientChannelAndWindowCountsApart() {
        String amy = user("amy"), bo = user("bo");
        assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window(), 1)).isTrue();
        assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window(), 1)).isFalse();

        assertThat(storage.rates().tryCount(bo, Channel.EMAIL, window(), 1)).isTrue();
        assertThat(storage.rates().tryCount(amy, Channel.SMS, window(), 1)).isTrue();
        assertThat(storage.rates().tryCount(amy, Channel.EMAIL, window().plus(Duration.ofHours(1)), 1)).isTrue();
    }

    @Test
    void concurrentSendsNeverCountPastTheLimit() throws Exception {
        String cy = user("cy");
        List<Callable<Boolean>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) sends.add(() -> storage.rates().tryCount(cy, Channel.PUSH, window(), 25));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            long admitted = 0;
            for (Future<Boolean> f : pool.invokeAll(sends)) if (f.get()) admitted++;
            assertThat(admitted).isEqualTo(25);
        }
    }

    @Test
    void purgeForgetsOlderWindowsOnly() {
        String dee = user("dee");
        Instant old = window().minus(Duration.ofHours(2));
        storage.rates().tryCount(dee, Channel.EMAIL, old, 1);
        storage.rates().tryCount(dee, Channel.EMAIL, window(), 1);

        assertThat(storage.rates().purge(window().minus(Duration.ofHours(1)))).isGreaterThanOrEqualTo(1);

        assertThat(storage.rates().tryCount(dee, Channel.EMAIL, old, 1)).isTrue();
        assertThat(storage.rates().tryCount(dee, Channel.EMAIL, window(), 1)).isFalse();
    }

    @Test
    void erasingTheUserForgetsTheirCounts() {
        String eve = user("eve");
        storage.rates().tryCount(eve, Channel.EMAIL, window(), 1);

        storage.notifications().eraseUser(eve);

        assertThat(storage.rates().tryCount(eve, Channel.EMAIL, window(), 1)).isTrue();
    }
}
