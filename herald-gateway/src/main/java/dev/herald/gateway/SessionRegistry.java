package dev.herald.gateway;

import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of this gateway whose {@code open} succeeded and whose {@code closed} has not run
 * yet, across protocols; shutdown closes them all and waits for the set to drain.
 */
public final class SessionRegistry {
    private final Set<Session> live = ConcurrentHashMap.newKeySet();

    public void add(Session s) {
        live.add(s);
    }

    /** Call after the handler's {@code closed} returned. */
    public void remove(Session s) {
        if (live.remove(s) && live.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    public int size() {
        return live.size();
    }

    public void closeAll(DisconnectReason reason) {
        for (Session s : live) s.close(reason);
    }

    /** Waits until every closed call has returned, or the timeout passes; true when drained. */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!live.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
