package dev.herald.core.memory;

import dev.herald.core.notification.Channel;
import dev.herald.core.store.RateCounter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The reference {@link RateCounter}: one map, one lock. */
public final class MemoryRateCounter implements RateCounter {
    private record Window(String recipientId, Channel channel, Instant start) {}

    private final Map<Window, Integer> counts = new HashMap<>();

    @Override
    public synchronized boolean tryCount(String recipientId, Channel channel, Instant windowStart, int limit) {
        Window w = new Window(recipientId, channel, windowStart);
        int n = counts.getOrDefault(w, 0);
        if (n >= limit) return false;
        counts.put(w, n + 1);
        return true;
    }

    @Override
    public synchronized int purge(Instant before) {
        int size = counts.size();
        counts.keySet().removeIf(w -> w.start().isBefore(before));
        return size - counts.size();
    }

    /** Erasure of a user. */
    synchronized void erase(String userId) {
        counts.keySet().removeIf(w -> w.recipientId().equals(userId));
    }
}
