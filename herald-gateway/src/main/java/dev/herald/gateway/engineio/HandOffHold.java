package dev.herald.gateway.engineio;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects the tasks handed to one session's event loop while a hold is open and hands them over
 * as one batch when the last hold closes. A Socket.IO handshake runs on a virtual thread and sends
 * the CONNECT reply, {@code connection_ready}, {@code connected} and the pending notifications:
 * handed over one by one, each wakes the loop (an eventfd write, a context switch) and flushes
 * its own frame (a write system call). Held, they cost one wake-up and one flush
 * (bench/RESULTS.md, handshake system calls and context switches).
 *
 * <p>While a hold is open every task goes to the batch, even one submitted on the loop itself,
 * so nothing overtakes what is held (a notification must not reach a client before its CONNECT
 * reply). Threading: thread-safe; the batch runs on the loop.
 */
final class HandOffHold {
    private final EventLoop loop;
    private final Consumer<List<Runnable>> runBatch;
    // Written under the lock, read without it on every send: a send that sees 0 was not ordered
    // after a hold() anyway, so going straight to the loop keeps every ordering that matters.
    private volatile int holds;
    private List<Runnable> held; // guarded by this; non-null while holds > 0

    HandOffHold(EventLoop loop, Consumer<List<Runnable>> runBatch) {
        this.loop = loop;
        this.runBatch = runBatch;
    }

    /** Opens a hold; holds nest, and the batch goes when the last one is released. */
    synchronized void hold() {
        if (holds++ == 0) held = new ArrayList<>(6);
    }

    /** Closes a hold; closing the last hands what it collected to the loop, in order, as one task. */
    void release() {
        List<Runnable> batch;
        synchronized (this) {
            if (holds == 0) throw new IllegalStateException("release without hold");
            if (--holds > 0) return;
            batch = held;
            held = null;
        }
        if (batch.isEmpty()) return;
        if (loop.inEventLoop()) runBatch.accept(batch);
        else loop.execute(() -> runBatch.accept(batch));
    }

    /** Whether a hold is open now: a caller about to write past {@link #keep} must queue instead. */
    boolean isOpen() {
        return holds > 0;
    }

    /** Keeps the task for the batch and returns true while a hold is open; returns false otherwise. */
    boolean keep(Runnable task) {
        if (holds == 0) return false;
        synchronized (this) {
            if (holds == 0) return false;
            held.add(task);
            return true;
        }
    }
}
