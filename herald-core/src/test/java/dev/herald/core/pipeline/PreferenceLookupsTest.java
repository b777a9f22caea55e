package dev.herald.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.core.memory.MemoryPreferenceStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import dev.herald.core.store.PreferenceStore;
import java.util.Optional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PreferenceLookupsTest {
    private static final Preferences MUTED = Preferences.defaults().withChannels(Map.of(Channel.IN_APP, false));

    /** A preference store that records each query's users and can hold the first query open. */
    private static final class RecordingStore implements PreferenceStore {
        final MemoryPreferenceStore memory = new MemoryPreferenceStore();
        final List<List<String>> queries = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        volatile boolean holdFirst;
        volatile RuntimeException failure;

        @Override
        public Map<String, Preferences> findAll(Collection<String> userIds) {
            queries.add(List.copyOf(userIds));
            if (holdFirst && queries.size() == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (failure != null) throw failure;
            return memory.findAll(userIds);
        }

        @Override
        public Optional<Preferences> find(String userId) {
            return memory.find(userId);
        }

        @Override
        public void put(String userId, Preferences preferences, Instant at) {
            memory.put(userId, preferences, at);
        }
    }

    private final RecordingStore store = new RecordingStore();

    @Test
    void aLoneLookupIsOneQueryForItsOwnRecipients() {
        store.put("u1", MUTED, Instant.EPOCH);
        PreferenceLookups lookups = new PreferenceLookups(store, 1, 500);

        assertThat(lookups.find(List.of("u1", "u2"))).containsOnlyKeys("u1");
        assertThat(store.queries).containsExactly(List.of("u1", "u2"));
    }

    @Test
    void lookupsThatArriveWhileAQueryRunsShareTheNextQueryAndEachGetsOnlyItsOwnUsers() throws Exception {
        store.put("b", MUTED, Instant.EPOCH);
        store.put("d", MUTED, Instant.EPOCH);
        store.holdFirst = true;
        PreferenceLookups lookups = new PreferenceLookups(store, 1, 500);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Map<String, Preferences>> first = threads.submit(() -> lookups.find(List.of("a")));
            store.firstStarted.await();
            List<Future<Map<String, Preferences>>> waiting = new ArrayList<>();
            for (String user : List.of("b", "c", "d")) waiting.add(threads.submit(() -> lookups.find(List.of(user))));
            await().until(() -> lookups.queued() == 3);
            store.releaseFirst.countDown();

            assertThat(first.get()).isEmpty();
            assertThat(waiting.get(0).get()).containsOnlyKeys("b");
            assertThat(waiting.get(1).get()).isEmpty();
            assertThat(waiting.get(2).get()).containsOnlyKeys("d");
        }
        assertThat(store.queries).hasSize(2);
        assertThat(store.queries.get(1)).containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void aQueryTakesNoMoreWaitingLookupsThanItsUserLimitAllows() throws Exception {
        store.holdFirst = true;
        PreferenceLookups lookups = new PreferenceLookups(store, 1, 2);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = threads.submit(() -> lookups.find(List.of("a")));
            store.firstStarted.await();
            List<Future<Map<String, Preferences>>> waiting = new ArrayList<>();
            for (String user : List.of("b", "c", "d")) waiting.add(threads.submit(() -> lookups.find(List.of(user))));
            await().until(() -> lookups.queued() == 3);
            store.releaseFirst.countDown();
            first.get();
            for (Future<Map<String, Preferences>> f : waiting) f.get();
        }
        assertThat(store.queries).hasSize(3);
        assertThat(store.queries.subList(1, 3)).allSatisfy(q -> assertThat(q.size()).isLessThanOrEqualTo(2));
    }

    @Test
    void aFailedQueryFailsEveryLookupItWasAnswering() throws Exception {
        store.holdFirst = true;
        PreferenceLookups lookups = new PreferenceLookups(store, 1, 500);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = threads.submit(() -> lookups.find(List.of("a")));
            store.firstStarted.await();
            Future<?> b = threads.submit(() -> lookups.find(List.of("b")));
            Future<?> c = threads.submit(() -> lookups.find(List.of("c")));
            await().until(() -> lookups.queued() == 2);
            store.failure = new IllegalStateException("store down");
            store.releaseFirst.countDown();

            assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(b::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(c::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aLookupSeesAPutThatReturnedBeforeItBegan() {
        PreferenceLookups lookups = new PreferenceLookups(store, 2, 500);
        assertThat(lookups.find(List.of("u1"))).isEmpty();

        store.put("u1", MUTED, Instant.EPOCH);

        assertThat(lookups.find(List.of("u1"))).containsEntry("u1", MUTED);
    }
}
