package dev.herald.bench.client;

import java.util.Map;
import java.util.function.LongFunction;

/**
 * Sends bench messages to the server under test at a paced rate: over REST ({@link HttpPublisher})
 * or gRPC ({@link GrpcPublisher}). Each payload carries {@code seq} and {@code ts} (the
 * {@code System.nanoTime()} at issue) for loss and latency. Counters are safe to read while running.
 */
public interface Publisher extends AutoCloseable {
    /** A message to a room or to every connection of a user. */
    record Message(boolean toRoom, String id, String eventType, long seq) {
        public String payloadJson() {
            return "{\"seq\":" + seq + ",\"ts\":" + System.nanoTime() + "}";
        }
    }

    /** Issues {@code rate} messages a second for {@code seconds}; returns when the last is issued. */
    void run(int rate, double seconds, LongFunction<Message> next) throws InterruptedException;

    long issued();

    long ok();

    long failed();

    /** Messages skipped because every in-flight window was full: the target could not keep up. */
    long late();

    Map<String, Long> failedStatuses();

    @Override
    void close() throws InterruptedException;
}
