package dev.herald.core;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pause of a background loop that other threads can cut short: a {@link #wake} during a pause
 * ends it, and a wake between two pauses ends the next one at once, so no wake is ever missed. The
 * scheduler and the dispatcher wait on one each, woken when new work is written.
 *
 * <p>Threading: {@link #wake} from any thread, never blocks; {@link #pause} from the loop's thread.
 */
public final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;
    private boolean stopped;

    public void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every pause for good, now and later (the loop is closing). */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code max} or until woken or stopped. Returns false when the loop should end:
     * stopped, or interrupted (the interrupt flag is kept).
     */
    public boolean pause(Duration max) {
        lock.lock();
        try {
            long nanos = Math.max(0, max.toNanos());
            while (!stopped && !woken && nanos > 0) nanos = changed.awaitNanos(nanos);
            woken = false;
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
