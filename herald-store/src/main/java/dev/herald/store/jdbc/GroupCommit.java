package dev.herald.store.jdbc;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Group commit: requests that arrive while the store is busy share one transaction, so one WAL
 * flush (PostgreSQL) or one fsync (SQLite) serves many of them. Without it every create waited
 * for its own flush and the pool size capped throughput (bench/RESULTS.md, pipeline: ~2 400
 * stored-and-delivered/s on 10 connections, with the server at 70 % CPU).
 *
 * <p>At most {@code writers} batches are in flight. A caller queues its request, then takes a
 * writer slot and writes whatever is queued (its own request among it, up to {@code maxBatch});
 * when the slot comes free and another writer already took its request, it just waits for that
 * batch. With no contention a request is written alone, at once: batching adds no latency, it
 * only forms while the database is the bottleneck.
 *
 * <p>The queue is taken once the writer holds its transaction ({@link BatchWriter} calls
 * {@code take} inside it), not before: a writer that waited for a pooled connection takes
 * everything that arrived meanwhile. Taken before, each writer left with the one or two requests
 * queued when it got its slot and the rest waited for the next slot (bench pipeline on
 * PostgreSQL: ~1 insert per commit at 8 concurrent creates).
 *
 * <p>A batch that fails is retried request by request, each in its own transaction, so one bad
 * request fails alone and the others keep their answers.
 *
 * <p>Threading: thread-safe; {@link #submit} blocks (call it from virtual threads).
 *
 * @param <Q> a request
 * @param <A> its answer
 */
final class GroupCommit<Q, A> {
    /**
     * Writes a batch in one transaction: calls {@code take} once, inside the transaction, and
     * answers in the order of the requests it returned (none is possible: another writer took them).
     */
    @FunctionalInterface
    interface BatchWriter<Q, A> {
        List<A> write(Supplier<List<Q>> take);
    }

    private record Pending<Q, A>(Q request, CompletableFuture<A> answer) {}

    private final Queue<Pending<Q, A>> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore writers;
    private final int maxBatch;
    private final BatchWriter<Q, A> batchWriter;
    private final Function<Q, A> single;

    /**
     * @param writers     batches in flight at once (each holds a connection)
     * @param maxBatch    requests per transaction at most
     * @param batchWriter writes several requests in one transaction
     * @param single      writes one request in its own transaction (the fallback)
     */
    GroupCommit(int writers, int maxBatch, BatchWriter<Q, A> batchWriter, Function<Q, A> single) {
        if (writers < 1 || maxBatch < 1) throw new IllegalArgumentException("writers and maxBatch must be positive");
        this.writers = new Semaphore(writers, true);
        this.maxBatch = maxBatch;
        this.batchWriter = batchWriter;
        this.single = single;
    }

    A submit(Q request) {
        Pending<Q, A> mine = new Pending<>(request, new CompletableFuture<>());
        queue.add(mine);
        while (!mine.answer().isDone()) {
            acquire();
            try {
                // Nothing left to take: another writer holds our request, wait for its batch.
                if (mine.answer().isDone() || queue.isEmpty()) break;
                write();
            } catch (RuntimeException beforeTake) {
                // No transaction, so nothing was taken: ours fails unless a writer took it meanwhile.
                if (queue.remove(mine)) throw beforeTake;
            } finally {
                writers.release();
            }
        }
        return await(mine.answer());
    }

    /** Requests waiting for a writer (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    private List<Pending<Q, A>> drain() {
        List<Pending<Q, A>> batch = new ArrayList<>();
        Pending<Q, A> next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) batch.add(next);
        return batch;
    }

    private void write() {
        List<Pending<Q, A>> batch = new ArrayList<>();
        try {
            List<A> answers = batchWriter.write(() -> {
                batch.addAll(drain());
                return batch.stream().map(Pending::request).toList();
            });
            for (int i = 0; i < batch.size(); i++) batch.get(i).answer().complete(answers.get(i));
            return;
        } catch (RuntimeException e) {
            if (batch.isEmpty()) throw e;
            if (batch.size() == 1) {
                batch.getFirst().answer().completeExceptionally(e);
                return;
            }
            // Fall through: each request alone, so only a bad one fails.
        }
        for (Pending<Q, A> p : batch) {
            try {
                p.answer().complete(single.apply(p.request()));
            } catch (RuntimeException e) {
                p.answer().completeExceptionally(e);
            }
        }
    }

    private void acquire() {
        try {
            writers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the inbox store");
        }
    }

    private static <A> A await(CompletableFuture<A> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the inbox store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new HeraldException(ErrorCode.INTERNAL, "inbox store failed", e.getCause());
        }
    }
}
