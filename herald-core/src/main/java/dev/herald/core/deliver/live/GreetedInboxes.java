package dev.herald.core.deliver.live;

import dev.herald.core.inbox.Pending;
import dev.herald.core.inbox.SyncCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where each just-greeted session's inbox ended, so that the sync a reconnecting client sends
 * right after its greeting is answered without reading the store again when nothing came after
 * its cursor: one read per reconnection instead of two, in the storm after a restart.
 *
 * <p>Why that answer is right: the greeting's read ran after the broker had confirmed the
 * session's user room, and everything stored from then on is announced in that room, so the
 * session gets it live whether the sync's answer holds it or not (clients dedupe by id). A
 * position is used once, and only within {@link #FRESH_FOR} of its read: the answer is then the
 * one a read at greeting time gave.
 *
 * <p>Memory is bounded by the greetings of the last {@link #FRESH_FOR}, not by the sessions open.
 * Threading: thread-safe, never blocks.
 */
final class GreetedInboxes {
    /** How long after its greeting a session's sync may be answered from the greeting's read. */
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    /** {@code newest} is null when the user had no visible notification. */
    private record Greeted(String sessionId, SyncCursor newest, Instant at) {}

    private final Map<String, Greeted> bySession = new ConcurrentHashMap<>();
    private final Queue<Greeted> inOrder = new ConcurrentLinkedQueue<>();
    private final Clock clock;

    GreetedInboxes(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Keeps where the session's inbox ended; call only when its user room was confirmed before the read. */
    void remember(String sessionId, Pending pending) {
        Instant now = clock.instant();
        dropReadBefore(now.minus(FRESH_FOR));
        Greeted greeted = new Greeted(sessionId, pending.newest(), now);
        bySession.put(sessionId, greeted);
        inOrder.add(greeted);
    }

    /**
     * True when the session's greeting read is fresh and nothing came after {@code cursor} then;
     * either way the position is used up, so only the first sync after a greeting can be spared.
     */
    boolean nothingAfter(String sessionId, SyncCursor cursor) {
        Greeted greeted = bySession.remove(sessionId);
        if (greeted == null || greeted.at().isBefore(clock.instant().minus(FRESH_FOR))) return false;
        return greeted.newest() == null || cursor.isAtOrPast(greeted.newest());
    }

    void forget(String sessionId) {
        bySession.remove(sessionId);
    }

    /** Positions kept now, whoever holds them (for tests of the bound). */
    int size() {
        return bySession.size();
    }

    private void dropReadBefore(Instant limit) {
        for (Greeted head = inOrder.peek(); head != null && head.at().isBefore(limit); head = inOrder.peek()) {
            // Another thread may have polled first: what this poll takes is then a newer head,
            // dropped a little early, which only costs that session a read.
            Greeted dropped = inOrder.poll();
            if (dropped != null) bySession.remove(dropped.sessionId(), dropped);
        }
    }
}
