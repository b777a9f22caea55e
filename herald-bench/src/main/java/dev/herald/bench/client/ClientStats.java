package dev.herald.bench.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counters of one generator process, written from the Netty event loops and read by the reporter.
 * Latency is recorded in microseconds from a {@code System.nanoTime()} stamp in the payload: on
 * Linux that clock is CLOCK_MONOTONIC, shared by every process of the machine, so a publisher in
 * the coordinator and a receiver in a worker can be compared.
 */
public final class ClientStats {
    public final LongAdder attempts = new LongAdder();
    public final LongAdder authenticated = new LongAdder();
    public final LongAdder open = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    public final LongAdder received = new LongAdder();
    public final AtomicLong firstAttemptNanos = new AtomicLong(Long.MAX_VALUE);
    public final AtomicLong lastAuthNanos = new AtomicLong(Long.MIN_VALUE);
    public final AtomicLong firstReceiveNanos = new AtomicLong(Long.MAX_VALUE);
    public final AtomicLong lastReceiveNanos = new AtomicLong(Long.MIN_VALUE);
    /** Latencies in microseconds, up to one minute, three significant digits. */
    public final Recorder latencyMicros = new Recorder(60_000_000L, 3);
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();

    /** Forgets deliveries and latencies: what the JIT warm-up saw is not the measurement. */
    public void resetDeliveries() {
        received.reset();
        firstReceiveNanos.set(Long.MAX_VALUE);
        lastReceiveNanos.set(Long.MIN_VALUE);
        latencyMicros.reset();
    }

    public void failure(String reason) {
        failed.increment();
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public java.util.Map<String, Long> failureReasons() {
        var m = new java.util.TreeMap<String, Long>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    static void min(AtomicLong a, long v) {
        long cur;
        while (v < (cur = a.get()) && !a.compareAndSet(cur, v)) { /* retry */ }
    }

    static void max(AtomicLong a, long v) {
        long cur;
        while (v > (cur = a.get()) && !a.compareAndSet(cur, v)) { /* retry */ }
    }
}
