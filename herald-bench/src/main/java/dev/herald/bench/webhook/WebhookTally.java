package dev.herald.bench.webhook;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * What the receiver saw, counted by {@code webhook-id}: a webhook counts once, at its first 2xx
 * answer; another 2xx answer for the same id is a duplicate (the dispatcher sent a delivered
 * message again), whereas a request after a 503 is a retry. Webhooks whose {@code data.seq} is
 * negative come from the warm-up and are only counted apart. For the measured ones it keeps the
 * create→receive latency ({@code data.ts}, {@code System.nanoTime()} of the creating process; one
 * CLOCK_MONOTONIC on Linux) and the arrival times, from which the steady rate is read.
 *
 * <p>The email and push scenarios count with it too (by Message-ID, by the notification id in the
 * FCM message's data): the same rules, without signatures or 503s.
 *
 * <p>Thread-safe: the receiver's event loop records, the scenario reads.
 */
public final class WebhookTally {
    /** A copy of the counts at one moment. */
    public record Counts(long requests, long received, long warmupReceived, long duplicates, long retriesAnswered503,
                         long signaturesChecked, long badSignatures, long malformed, long lastReceiveNanos,
                         long connections) {}

    private final Map<String, Integer> attempts = new HashMap<>();
    private final Set<String> answered = new HashSet<>();
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private long[] arrivals = new long[1024];
    private long requests;
    private long received;
    private long warmupReceived;
    private long duplicates;
    private long answered503;
    private long signaturesChecked;
    private long badSignatures;
    private long malformed;
    private long lastReceiveNanos;
    private long connections;

    /** The sender opened a connection: few, kept alive, is what a pooled client does. */
    public synchronized void connected() {
        connections++;
    }

    /** A request arrived for {@code id}; returns its attempt number (1 for the first with this id). */
    public synchronized int arrived(String id) {
        requests++;
        return attempts.merge(id, 1, Integer::sum);
    }

    public synchronized void malformed() {
        requests++;
        malformed++;
    }

    synchronized void signatureChecked(boolean good) {
        signaturesChecked++;
        if (!good) badSignatures++;
    }

    synchronized void answered503() {
        answered503++;
    }

    /** Stands for a {@code seq} or {@code ts} the body did not carry. */
    public static final long ABSENT = Long.MIN_VALUE;

    /** A 2xx answer for {@code id}, whose body carried {@code seq} and {@code ts} (or {@link #ABSENT}). */
    public synchronized void accepted(String id, long seq, long ts, long nowNanos) {
        if (!answered.add(id)) {
            duplicates++;
            return;
        }
        if (seq == ABSENT || ts == ABSENT) return; // not one of the bench's creates
        if (seq < 0) {
            warmupReceived++; // the warm-up's creates run -1, -2, ...
            return;
        }
        received++;
        lastReceiveNanos = nowNanos;
        latencyMicros.recordValue(Math.max(0, Math.min((nowNanos - ts) / 1000, latencyMicros.getHighestTrackableValue())));
        if (received > arrivals.length) arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
        arrivals[(int) received - 1] = nowNanos;
    }

    public synchronized Counts counts() {
        return new Counts(requests, received, warmupReceived, duplicates, answered503, signaturesChecked, badSignatures,
                malformed, lastReceiveNanos, connections);
    }

    public synchronized Histogram latency() {
        return latencyMicros.copy();
    }

    /**
     * Webhooks a second over the middle of the measured arrivals (from the 10th to the 90th
     * percentile arrival): the steady rate, without the ramp of the first sends and the tail of the
     * last; 0 with fewer than 10 arrivals.
     */
    public synchronized long steadyPerSecond() {
        if (received < 10) return 0;
        int from = (int) (received / 10);
        int to = (int) (received * 9 / 10);
        long nanos = arrivals[to] - arrivals[from];
        return nanos <= 0 ? 0 : Math.round((to - from) * 1e9 / nanos);
    }

    /** Arrival time of the first measured webhook, or 0 before it. */
    public synchronized long firstReceiveNanos() {
        return received == 0 ? 0 : arrivals[0];
    }
}
