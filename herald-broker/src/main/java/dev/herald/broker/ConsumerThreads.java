package dev.herald.broker;

import java.time.Duration;

/** What the durable consumers' loop threads share: waiting between failed reads, and stopping. */
public final class ConsumerThreads {
    private ConsumerThreads() {}

    /** Waits {@code d} before the next read after a failure; an interrupt ends the wait early and is kept. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code timeout} for {@code loop} (null: never started) to see its stop flag and end. */
    public static void join(Thread loop, Duration timeout) {
        if (loop == null) return;
        try {
            loop.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
