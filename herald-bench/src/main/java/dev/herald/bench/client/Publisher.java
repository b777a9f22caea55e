package dev.herald.bench.client;

import java.util.Map;
import java.util.function.LongFunction;

/**
 * Sends bench requests of type {@code M} to the server under test at a paced rate: HTTP requests
 * ({@link HttpPublisher}) or gRPC calls ({@link GrpcPublisher}). Request {@code i} is built by the
 * caller's function at the moment it is issued, so the {@link #stamp} in it is the issue time.
 * Counters are safe to read while running.
 */
public interface Publisher<M> extends AutoCloseable {
    /**
     * {@code {"seq":…,"ts":…}}: {@code ts} is {@code System.nanoTime()} now, which the workers
     * subtract from the arrival time (one CLOCK_MONOTONIC for every process on Linux).
     */
    static String stamp(long seq) {
        return "{\"seq\":" + seq + ",\"ts\":" + System.nanoTime() + "}";
    }

    /** Issues {@code rate} requests a second for {@code seconds}; returns when the last is issued. */
    void run(int rate, double seconds, LongFunction<M> next) throws InterruptedException;

    long issued();

    long ok();

    long failed();

    /**
     * Requests the target refused as overloaded (Herald's {@code OVERLOADED}: HTTP 503 with
     * Retry-After, gRPC UNAVAILABLE with that error-code), having sent nothing: back-pressure, not
     * failure, so neither {@link #ok} nor {@link #failed} counts them and no delivery is expected.
     */
    long refused();

    /** Requests skipped because every in-flight window was full: the target could not keep up. */
    long late();

    Map<String, Long> failedStatuses();

    /**
     * Microseconds from issuing each answered request to reading its answer: with the server's own
     * time and the publish→client latency, where a tail comes from. Null when not measured.
     */
    default org.HdrHistogram.Histogram answerLatency() {
        return null;
    }

    @Override
    void close() throws InterruptedException;
}
