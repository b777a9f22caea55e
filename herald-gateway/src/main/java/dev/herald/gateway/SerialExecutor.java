package dev.herald.gateway;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's tasks one after another, in submission order, on virtual threads. No thread
 * is held while the queue is empty, so an idle session costs a few objects, not a thread.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final Thread.Builder VIRTUAL = Thread.ofVirtual().name("herald-session-", 0);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (running.compareAndSet(false, true)) VIRTUAL.start(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            while ((next = tasks.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException | Error e) {
                    log.error("session task failed", e);
                }
            }
            running.set(false);
            // A task added between the last poll and the reset must not be stranded.
            if (tasks.isEmpty() || !running.compareAndSet(false, true)) return;
        }
    }
}
