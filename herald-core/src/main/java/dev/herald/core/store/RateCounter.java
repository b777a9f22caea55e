package dev.herald.core.store;

import dev.herald.core.notification.Channel;
import java.time.Instant;

/**
 * Counts sends per recipient, channel and fixed window, for the per-user rate limits (seed 004:
 * email 10/h, sms 5/h, push 50/h). Implementations: MemoryRateCounter (reference), the SQLite and
 * PostgreSQL stores (one row per window, counted with an atomic conditional upsert).
 *
 * <p>Guarantees: {@link #tryCount} is atomic against every other caller on the same store, on any
 * node: of concurrent calls for one window, exactly {@code limit} succeed in all. A count is never
 * given back (a send that failed still used its place). Threading: thread-safe and blocking.
 */
public interface RateCounter {
    /**
     * Counts one send of {@code recipientId} on {@code channel} in the window starting at
     * {@code windowStart} when fewer than {@code limit} are counted there already; true when it counted.
     */
    boolean tryCount(String recipientId, Channel channel, Instant windowStart, int limit);

    /** Forgets the windows that started before {@code before}; returns how many. */
    int purge(Instant before);
}
