package dev.herald.server.ops;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Events per second over the last {@link #WINDOW_SECONDS} whole seconds, for
 * {@code notification_queue_processing_rate}: one slot per second, each stamped with its second so
 * a stale slot reads as zero. Thread-safe and lock-free; a racing reset may lose a count or two,
 * which a rate gauge tolerates.
 */
final class ProcessingRate {
    static final int WINDOW_SECONDS = 60;

    private final LongSupplier nanoTime;
    private final AtomicLongArray counts = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(WINDOW_SECONDS);

    ProcessingRate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void record() {
        long second = nanoTime.getAsLong() / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, WINDOW_SECONDS);
        long stamp = stamps.get(slot);
        if (stamp != second && stamps.compareAndSet(slot, stamp, second)) counts.set(slot, 0);
        counts.incrementAndGet(slot);
    }

    /** Per second, over the window's completed seconds and the current one. */
    double perSecond() {
        long now = nanoTime.getAsLong() / 1_000_000_000L;
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (now - stamps.get(i) < WINDOW_SECONDS) total += counts.get(i);
        }
        return total / (double) WINDOW_SECONDS;
    }
}
