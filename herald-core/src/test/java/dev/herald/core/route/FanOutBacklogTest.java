package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import org.junit.jupiter.api.Test;

class FanOutBacklogTest {
    @Test
    void takesAnyPublishWhileNothingIsQueued() {
        FanOutBacklog backlog = new FanOutBacklog(10);

        backlog.admit(1_000);

        assertThat(backlog.refusals()).isZero();
    }

    @Test
    void refusesAPublishThatWouldPassTheBoundWithOverloaded() {
        FanOutBacklog backlog = new FanOutBacklog(10);
        backlog.handedOff(8);

        assertThatThrownBy(() -> backlog.admit(3)).isInstanceOfSatisfying(HeraldException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        assertThat(backlog.refusals()).isEqualTo(1);
    }

    @Test
    void takesPublishesAgainOnceTheLoopsWroteWhatTheyHeld() {
        FanOutBacklog backlog = new FanOutBacklog(10);
        backlog.handedOff(8);
        backlog.written(8);

        backlog.admit(10);

        assertThat(backlog.pending()).isZero();
    }

    @Test
    void neverRefusesWithoutABound() {
        FanOutBacklog backlog = FanOutBacklog.unbounded();
        backlog.handedOff(1_000_000);

        backlog.admit(1_000_000);

        assertThat(backlog.refusals()).isZero();
    }

    @Test
    void tellsTheRefusedCallerWhenToRetry() {
        FanOutBacklog backlog = new FanOutBacklog(1);
        backlog.handedOff(1);

        assertThatThrownBy(() -> backlog.admit(1)).isInstanceOfSatisfying(FanOutBacklog.Overloaded.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
    }
}
