package dev.herald.gateway.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP requests handed to services and not answered yet. Once {@link #start() draining}, a
 * request that has not started is refused ({@link #enter()} is false) and the shutdown waits for
 * the ones in flight. Thread-safe.
 */
public final class HttpDrain {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /** True when the request may start; the caller must then {@link #exit()} once it is answered. */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (draining) {
            exit();
            return false;
        }
        return true;
    }

    public void exit() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    public boolean draining() {
        return draining;
    }

    public void start() {
        draining = true;
    }

    /** Waits until no request is in flight, or the timeout passes; true when none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
