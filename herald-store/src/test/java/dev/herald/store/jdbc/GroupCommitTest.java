package dev.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger singles = new AtomicInteger();

    @Test
    void writesALoneRequestAtOnceInATransactionOfItsOwn() {
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, this::recordBatch, this::single);

        assertThat(commit.submit("a")).isEqualTo("A");
        assertThat(batches).containsExactly(List.of("a"));
        assertThat(singles).hasValue(0);
    }

    @Test
    void aWriterTakesTheRequestsThatArrivedWhileItWaitedForItsTransaction() throws Exception {
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch connectionFree = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, take -> {
            // Stands for the wait for a pooled connection, before the queue is taken.
            opening.countDown();
            awaitLatch(connectionFree);
            return recordBatch(take.get());
        }, this::single);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = threads.submit(() -> commit.submit("first"));
            opening.await();
            List<Future<String>> later = new ArrayList<>();
            for (String r : List.of("b", "c")) later.add(threads.submit(() -> commit.submit(r)));
            await().until(() -> commit.queued() == 3);
            connectionFree.countDown();

            assertThat(first.get()).isEqualTo("FIRST");
            assertThat(answers(later)).containsExactly("B", "C");
        }
        assertThat(batches).singleElement().satisfies(b -> assertThat(b).containsExactlyInAnyOrder("first", "b", "c"));
    }

    @Test
    void aFailureBeforeTheTransactionFailsItsCallerAndLeavesNothingQueued() {
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, take -> {
            throw new IllegalStateException("no connection");
        }, this::single);

        assertThatThrownBy(() -> commit.submit("a")).isInstanceOf(IllegalStateException.class);
        assertThat(commit.queued()).isZero();
        assertThat(singles).hasValue(0);
    }

    @Test
    void requestsThatArriveWhileTheWriterIsBusyShareOneTransaction() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, take -> {
            List<String> batch = take.get();
            if (batch.equals(List.of("first"))) {
                firstStarted.countDown();
                awaitLatch(releaseFirst);
            }
            return recordBatch(batch);
        }, this::single);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = threads.submit(() -> commit.submit("first"));
            firstStarted.await();
            List<Future<String>> waiting = new ArrayList<>();
            for (String r : List.of("b", "c", "d")) waiting.add(threads.submit(() -> commit.submit(r)));
            await().until(() -> commit.queued() == 3);
            releaseFirst.countDown();

            assertThat(first.get()).isEqualTo("FIRST");
            assertThat(answers(waiting)).containsExactly("B", "C", "D");
        }
        assertThat(batches).containsExactly(List.of("first"), batches.get(1));
        assertThat(batches.get(1)).containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void aFailedBatchIsRetriedOneByOneSoOnlyTheBadRequestFails() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, take -> {
            List<String> batch = take.get();
            if (batch.equals(List.of("first"))) {
                firstStarted.countDown();
                awaitLatch(releaseFirst);
                return List.of("FIRST");
            }
            throw new IllegalStateException("one row of the batch is bad");
        }, r -> {
            if (r.equals("bad")) throw new IllegalArgumentException("bad request");
            return single(r);
        });
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = threads.submit(() -> commit.submit("first"));
            firstStarted.await();
            Future<String> good = threads.submit(() -> commit.submit("good"));
            await().until(() -> commit.queued() == 1);
            Future<String> bad = threads.submit(() -> commit.submit("bad"));
            await().until(() -> commit.queued() == 2);
            releaseFirst.countDown();

            assertThat(first.get()).isEqualTo("FIRST");
            assertThat(good.get()).isEqualTo("GOOD");
            assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }

    private List<String> recordBatch(java.util.function.Supplier<List<String>> take) {
        return recordBatch(take.get());
    }

    private List<String> recordBatch(List<String> batch) {
        batches.add(List.copyOf(batch));
        return batch.stream().map(String::toUpperCase).toList();
    }

    private String single(String r) {
        singles.incrementAndGet();
        return r.toUpperCase();
    }

    private static List<String> answers(List<Future<String>> futures) throws Exception {
        List<String> out = new ArrayList<>();
        for (Future<String> f : futures) out.add(f.get());
        return out;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
