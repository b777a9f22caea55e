package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandOffHoldTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch batchRan = new CountDownLatch(1);
    private final HandOffHold hold = new HandOffHold(loop, tasks -> {
        List<String> names = new java.util.ArrayList<>();
        for (Runnable t : tasks) names.add(t.toString());
        batches.add(names);
        batchRan.countDown();
    });

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static Runnable named(String name) {
        return new Runnable() {
            public void run() { }

            public String toString() {
                return name;
            }
        };
    }

    @Test
    void keepsNothingWhileNoHoldIsOpen() {
        assertThat(hold.keep(named("a"))).isFalse();
    }

    @Test
    void handsTheHeldTasksToTheLoopInOrderAsOneBatch() throws Exception {
        hold.hold();
        assertThat(hold.keep(named("a"))).isTrue();
        assertThat(hold.keep(named("b"))).isTrue();
        hold.release();

        assertThat(batchRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(batches).containsExactly(List.of("a", "b"));
        assertThat(hold.keep(named("c"))).as("the hold is closed").isFalse();
    }

    @Test
    void handsNothingOverUntilTheOutermostHoldIsReleased() throws Exception {
        hold.hold();
        hold.hold();
        hold.keep(named("a"));
        hold.release();
        assertThat(hold.keep(named("b"))).as("still held by the outer hold").isTrue();
        assertThat(batches).isEmpty();
        hold.release();

        assertThat(batchRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(batches).containsExactly(List.of("a", "b"));
    }

    @Test
    void keepsTasksSubmittedOnTheLoopItselfWhileHeld() throws Exception {
        hold.hold();
        CountDownLatch kept = new CountDownLatch(1);
        loop.execute(() -> {
            if (hold.keep(named("from the loop"))) kept.countDown();
        });
        assertThat(kept.await(5, TimeUnit.SECONDS)).isTrue();
        hold.release();

        assertThat(batchRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(batches).containsExactly(List.of("from the loop"));
    }

    @Test
    void refusesAReleaseWithoutAHold() {
        assertThatThrownBy(hold::release).isInstanceOf(IllegalStateException.class);
    }
}
