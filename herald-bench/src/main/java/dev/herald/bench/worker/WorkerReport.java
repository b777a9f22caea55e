package dev.herald.bench.worker;

import java.util.Map;

/**
 * One line a worker writes on stdout: a progress snapshot every 200 ms, and a final one
 * ({@code last}) carrying its latency histogram (HdrHistogram, compressed, base64).
 */
public record WorkerReport(boolean last, long attempts, long authenticated, long open, long failed, long dropped,
                           long received, long firstAttemptNanos, long lastAuthNanos, long firstReceiveNanos,
                           long lastReceiveNanos, Map<String, Long> failures, String histogram) {}
