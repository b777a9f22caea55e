package dev.herald.core.pipeline;

import dev.herald.core.Wakeup;
import dev.herald.core.store.InboxReader;
import dev.herald.core.store.PurgeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual thread that releases scheduled notifications when due and purges now and then. It
 * sleeps until the next due time the store knows (at most {@code schedulerPoll}, so rows scheduled
 * by other nodes are seen too) and is woken early when this node schedules something. Due rows
 * left by a previous run are released on the first pass.
 */
final class InboxScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboxScheduler.class);
    private final NotificationPipeline service;
    private final InboxReader reader;
    private final Clock clock;
    private final PipelineConfig config;
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running;
    private Thread thread;

    InboxScheduler(NotificationPipeline service, InboxReader reader, Clock clock, PipelineConfig config) {
        this.service = service;
        this.reader = reader;
        this.clock = clock;
        this.config = config;
    }

    synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofVirtual().name("herald-inbox-scheduler").start(this::loop);
    }

    void wake() {
        wakeup.wake();
    }

    private void loop() {
        Instant nextPurge = clock.instant();
        while (running) {
            Duration pause = config.schedulerPoll();
            try {
                service.releaseDue();
                if (!clock.instant().isBefore(nextPurge)) {
                    PurgeResult purged = service.purge();
                    if (purged.total() > 0) log.info("purged {}", purged);
                    nextPurge = clock.instant().plus(config.purgeInterval());
                }
                Instant now = clock.instant();
                Instant next = reader.nextScheduledAt(now).orElse(null);
                if (next != null) pause = min(pause, Duration.between(now, next));
                pause = min(pause, Duration.between(now, nextPurge));
            } catch (RuntimeException e) {
                log.warn("inbox scheduler pass failed; retrying in {}", pause, e);
            }
            if (!wakeup.pause(pause)) running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }


    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        wakeup.stop();
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
