package dev.herald.bench.worker;

import java.util.Map;

/**
 * One line a worker writes on stdout: a progress snapshot every 200 ms, and a final one
 * ({@code last}) carrying its latency histogram (HdrHistogram, compressed, base64). The last three
 * are the restart scenario's (official client only; zero elsewhere): reconnections after the first
 * connect, {@code notifications:sync} answers after them, and distinct notifications created
 * during the outage that reached a client.
 */
public record WorkerReport(boolean last, long attempts, long authenticated, long open, long failed, long dropped,
                           long received, long firstAttemptNanos, long lastAuthNanos, long firstReceiveNanos,
                           long lastReceiveNanos, Map<String, Long> failures, String histogram,
                           long reconnected, long resynced, long outageReceived) {}
