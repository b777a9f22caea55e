package dev.herald.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's tasks one after another, in submission order, on virtual threads. No thread
 * is held while the queue is empty, and no queue either: an idle session costs this object alone
 * (a concurrent queue and a flag cost ~90 bytes on every idle connection, bench/RESULTS.md).
 *
 * <p>Threading: {@link #execute} is safe from any thread; the lock (this object) is held only to
 * add or take one task, never while a task runs.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final Thread.Builder VIRTUAL = Thread.ofVirtual().name("herald-session-", 0);

    /** Tasks not yet run; non-null exactly while a drain is running or about to start. Guarded by this. */
    private ArrayDeque<Runnable> tasks;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (tasks != null) {
                tasks.add(task);
                return;
            }
            tasks = new ArrayDeque<>(4);
            tasks.add(task);
        }
        VIRTUAL.start(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    tasks = null; // the next execute starts a new drain
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                log.error("session task failed", e);
            }
        }
    }
}
