package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.OutboxStats;
import dev.herald.core.store.OutboxStore;
import dev.herald.core.store.Settlement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the outbox: one loop thread claims due rows, priority by priority, as many as that
 * priority has free slots ({@link DispatchConfig#shares}) plus {@link DispatchConfig#claimAhead}
 * more, and each claimed unit (a row, or a whole digest) is sent on a virtual thread of its own by
 * a {@link DeliveryWorker} once a slot of its priority is free. Claiming ahead makes one claim
 * transaction serve many sends of a backlog; the shares still bound the sends in flight. Any number of nodes
 * run a dispatcher on the same store: claims are leases, so nothing needs a leader, and a node
 * killed mid-send (or holding rows claimed ahead) leaves leases that lapse and are claimed again
 * elsewhere; a node that closes hands its unstarted rows back at once.
 *
 * <p>The loop waits for {@link #wake(Set)} (a create wrote rows of those priorities due now), a
 * finished send or the poll interval. A wake looks at the priorities it names, a poll at every
 * one, a finished send only at its own, whose slot it freed, and only when that priority's last
 * claim came back full: every look may be a claim query (on PostgreSQL a transaction), and after
 * a short claim nothing new is due there until a wake or a poll says so. A look claims only when
 * its priority has no unit queued. A row that falls due later (a retry, a held row) is found by the
 * next wake or poll, as when the dispatcher is idle. Threading: {@link #start} and {@link #close}
 * from the composition root; {@link #wake} from any thread, never blocks.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final List<Priority> ORDER = List.of(Priority.URGENT, Priority.HIGH, Priority.MEDIUM, Priority.LOW);

    private final OutboxStore outbox;
    private final DeliveryWorker worker;
    private final Clock clock;
    private final DispatchConfig config;
    private final Map<Priority, Semaphore> slots = new EnumMap<>(Priority.class);
    /** Units claimed ahead, waiting for a slot of their priority; touched by the loop only (and {@link #close} after it). */
    private final Map<Priority, Deque<List<Delivery>>> ahead = new EnumMap<>(Priority.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Priorities a wake named since the last look; guarded by {@link #lock}. */
    private final Set<Priority> wokenFor = EnumSet.noneOf(Priority.class);
    /** Priorities whose last claim came back short, so a freed slot need not look; touched by the loop only. */
    private final Set<Priority> drained = EnumSet.noneOf(Priority.class);
    /** When the loop last looked at every priority ({@link System#nanoTime}); touched by the loop only. */
    private long lastFullLook = System.nanoTime();
    /** Priorities a finished send freed a slot of since the last look; guarded by {@link #lock}. */
    private final Set<Priority> freed = EnumSet.noneOf(Priority.class);
    /** Units in flight per priority; guarded by {@link #lock}. */
    private final Map<Priority, Integer> sending = new EnumMap<>(Priority.class);
    private volatile boolean running;
    private volatile OutboxStats stats;
    private Thread loop;

    Dispatcher(OutboxStore outbox, DeliveryWorker worker, Clock clock, DispatchConfig config) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        config.shares().forEach((p, n) -> slots.put(p, new Semaphore(n)));
        for (Priority p : Priority.values()) ahead.put(p, new ArrayDeque<>());
    }

    public static DispatcherBuilder builder() {
        return new DispatcherBuilder();
    }

    public synchronized Dispatcher start() {
        if (loop != null) return this;
        running = true;
        loop = Thread.ofVirtual().name("herald-dispatcher").start(this::run);
        return this;
    }

    /** Asks the loop to look at every priority of the outbox now. */
    public void wake() {
        wake(EnumSet.allOf(Priority.class));
    }

    /** Asks the loop to look at these priorities now (a create wrote rows of them due now). */
    public void wake(Set<Priority> priorities) {
        lock.lock();
        try {
            wokenFor.addAll(priorities);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The outbox at the last look (refreshed every {@code statsInterval}); null before the first. */
    public OutboxStats stats() {
        return stats;
    }

    private void run() {
        Instant nextStats = clock.instant();
        Look look = new Look(EnumSet.allOf(Priority.class), EnumSet.noneOf(Priority.class));
        while (running) {
            boolean claimed = false;
            try {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                for (Priority p : ORDER) {
                    if (look.fresh().contains(p)) {
                        // A wake or a poll: rows may have come since the last claim came back short.
                        drained.remove(p);
                        claimed |= claim(p, now);
                    } else if (look.freed().contains(p)) {
                        claimed |= claim(p, now);
                    }
                }
                if (!now.isBefore(nextStats)) {
                    stats = outbox.stats(now);
                    nextStats = now.plus(config.statsInterval());
                }
            } catch (RuntimeException e) {
                // The store is down or refused: the rows stay in the outbox; try again after a poll.
                log.warn("dispatcher pass failed; retrying in {} ms: {}", config.poll().toMillis(), e.toString());
                claimed = false;
            }
            // A full claim may have left more due rows: look at the same priorities again at once.
            if (!claimed) look = pause();
        }
    }

    /**
     * Starts what {@code priority} has room for: first the units claimed ahead, and only when none
     * is left a claim of its free slots plus {@link DispatchConfig#claimAhead} rows, so at a
     * backlog one claim transaction serves about {@code claimAhead} sends instead of one. True
     * when the claim came back full (more may be due).
     */
    private boolean claim(Priority priority, Instant now) {
        Semaphore free = slots.get(priority);
        Deque<List<Delivery>> queued = ahead.get(priority);
        startQueued(priority, now);
        if (!queued.isEmpty() || drained.contains(priority)) return false;
        int room = free.availablePermits();
        if (room == 0) return false;
        int limit = room + config.claimAhead();
        List<Delivery> rows = outbox.claimDue(priority, now, limit, config.lease());
        boolean full = rows.size() >= limit;
        if (full) drained.remove(priority);
        else drained.add(priority);
        if (rows.isEmpty()) return false;
        queued.addAll(units(rows));
        startQueued(priority, now);
        return full;
    }

    /**
     * Starts queued units of {@code priority} while it has free slots. A unit whose lease has less
     * than half left is handed back unsent instead: another claim (any node's) sends it, and this
     * node never starts a send its lease might not outlast.
     */
    private void startQueued(Priority priority, Instant now) {
        Semaphore free = slots.get(priority);
        Deque<List<Delivery>> queued = ahead.get(priority);
        List<Delivery> stale = new ArrayList<>();
        Instant fresh = now.plus(config.lease().dividedBy(2));
        while (!queued.isEmpty() && free.tryAcquire()) {
            List<Delivery> unit = queued.poll();
            if (unit.stream().anyMatch(d -> d.state().claimedUntil().isBefore(fresh))) {
                free.release();
                stale.addAll(unit);
                continue;
            }
            // A digest past the room still takes one slot: it is one message.
            started(priority);
            Thread.ofVirtual().name("herald-send").start(() -> {
                try {
                    worker.process(unit);
                } finally {
                    free.release();
                    freed(priority);
                }
            });
        }
        if (stale.isEmpty()) return;
        giveBack(stale, now);
        // They are due again now: the claim that follows takes them back with a fresh lease.
        drained.remove(priority);
    }

    private void started(Priority priority) {
        lock.lock();
        try {
            sending.merge(priority, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    /** Units of {@code priority} started and not yet finished; a finished one has signalled the loop already. */
    int sending(Priority priority) {
        lock.lock();
        try {
            return sending.getOrDefault(priority, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Hands claimed, unsent rows back as they were, so the next claim takes them without waiting for the lease. */
    private void giveBack(List<Delivery> rows, Instant now) {
        Set<String> refused = outbox.settle(rows.stream().map(d -> Settlement.giveBack(d, now)).toList());
        log.info("handed back {} claimed rows unsent ({} had lost their lease already)", rows.size(), refused.size());
    }

    /** Rows of one digest (recipient, channel, key) form one unit; every other row is its own. */
    static List<List<Delivery>> units(List<Delivery> rows) {
        Map<String, List<Delivery>> byDigest = new LinkedHashMap<>();
        List<List<Delivery>> units = new ArrayList<>();
        for (Delivery d : rows) {
            Delivery.Target t = d.target();
            if (t.digestKey() == null) {
                units.add(List.of(d));
            } else {
                String key = t.recipientId() + '\u0000' + t.channel() + '\u0000' + t.digestKey();
                byDigest.computeIfAbsent(key, k -> {
                    List<Delivery> list = new ArrayList<>();
                    units.add(list);
                    return list;
                }).add(d);
            }
        }
        return units;
    }

    /** A send of {@code priority} finished: its slot is free for the next due row of that priority. */
    private void freed(Priority priority) {
        lock.lock();
        try {
            sending.merge(priority, -1, Integer::sum);
            freed.add(priority);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a pass looks at: {@code fresh} priorities (a wake named them, or the poll came: all)
     * are claimed even if their last claim came back short; {@code freed} ones only if it did not.
     */
    private record Look(Set<Priority> fresh, Set<Priority> freed) {}

    /**
     * Waits for a wake, a freed slot or the poll interval; returns what to look at. A busy node
     * still looks at every priority once per poll interval (retries and held rows falling due,
     * rows other nodes wrote), however often wakes and finished sends come.
     */
    private Look pause() {
        lock.lock();
        try {
            long nanos = config.poll().toNanos();
            while (running && wokenFor.isEmpty() && freed.isEmpty() && nanos > 0) nanos = changed.awaitNanos(nanos);
            long at = System.nanoTime();
            boolean polled = (wokenFor.isEmpty() && freed.isEmpty()) || at - lastFullLook >= config.poll().toNanos();
            if (polled) lastFullLook = at;
            Look look = new Look(polled ? EnumSet.allOf(Priority.class) : EnumSet.copyOf(wokenFor),
                    freed.isEmpty() ? EnumSet.noneOf(Priority.class) : EnumSet.copyOf(freed));
            wokenFor.clear();
            freed.clear();
            return look;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return new Look(EnumSet.noneOf(Priority.class), EnumSet.noneOf(Priority.class));
        } finally {
            lock.unlock();
        }
    }

    /** The units claimed ahead and never started go back to the outbox, for the other nodes or the next start. */
    private void giveBackQueued() {
        List<Delivery> rows = new ArrayList<>();
        for (Deque<List<Delivery>> queued : ahead.values()) {
            queued.forEach(rows::addAll);
            queued.clear();
        }
        if (rows.isEmpty()) return;
        try {
            giveBack(rows, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (RuntimeException e) {
            log.warn("could not hand back {} claimed rows; their leases will lapse: {}", rows.size(), e.toString());
        }
    }

    /**
     * Stops claiming and waits (up to the lease) for the sends in flight; what is still unsent
     * keeps its lease, which lapses, and another node (or this one after a restart) sends it.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = loop;
            loop = null;
        }
        wake();
        if (t == null) return;
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (!t.isAlive()) giveBackQueued();
            long deadline = System.nanoTime() + config.lease().toNanos();
            for (var e : config.shares().entrySet()) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (slots.get(e.getKey()).tryAcquire(e.getValue(), left, TimeUnit.NANOSECONDS)) {
                    slots.get(e.getKey()).release(e.getValue());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
