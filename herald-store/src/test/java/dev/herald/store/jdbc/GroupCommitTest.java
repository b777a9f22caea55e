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
    void writesALoneRequestAtOnceInItsOwnTransaction() {
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, this::recordBatch, this::single);

        assertThat(commit.submit("a")).isEqualTo("A");
        assertThat(batches).isEmpty();
        assertThat(singles).hasValue(1);
    }

    @Test
    void requestsThatArriveWhileTheWriterIsBusyShareOneTransaction() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, this::recordBatch, r -> {
            firstStarted.countDown();
            awaitLatch(releaseFirst);
            return single(r);
        });
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
        assertThat(batches).singleElement().satisfies(b -> assertThat(b).containsExactlyInAnyOrder("b", "c", "d"));
    }

    @Test
    void aFailedBatchIsRetriedOneByOneSoOnlyTheBadRequestFails() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(1, 10, batch -> {
            throw new IllegalStateException("one row of the batch is bad");
        }, r -> {
            if (r.equals("first")) {
                firstStarted.countDown();
                awaitLatch(releaseFirst);
            }
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
