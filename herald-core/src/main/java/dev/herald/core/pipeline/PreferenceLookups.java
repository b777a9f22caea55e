package dev.herald.core.pipeline;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Preferences;
import dev.herald.core.store.PreferenceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The preference lookups of creates that arrive together, answered by one
 * {@link PreferenceStore#findAll} for all their recipients. Without it every one-recipient create
 * paid its own query on a pooled connection before its group commit, and those round trips, not
 * the commits, capped the pipeline (bench/RESULTS.md, pipeline: ~1 900/s with the server at 80 %
 * CPU on PostgreSQL).
 *
 * <p>Same shape as the store's group commit: at most {@code readers} queries in flight; a caller
 * queues its recipients, takes a slot and looks up everything queued (its own among it, up to
 * {@code maxUsers}); when another caller already took its recipients it waits for that answer. A
 * lone create is looked up at once: batches only form while the store is busy.
 *
 * <p>Freshness: a caller is only ever answered by a query that started after it queued, so it
 * sees every preference put that returned before its create began, as with a query of its own.
 * A failed query fails every create it was answering (it is the store failing, not a request).
 *
 * <p>Threading: thread-safe; {@link #find} blocks (call it from virtual threads).
 */
final class PreferenceLookups {
    private record Pending(List<String> users, CompletableFuture<Map<String, Preferences>> answer) {}

    private final PreferenceStore store;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore readers;
    private final int maxUsers;

    /**
     * @param readers  queries in flight at once (each holds a store connection)
     * @param maxUsers recipients per query at most (a caller with more is still looked up, alone)
     */
    PreferenceLookups(PreferenceStore store, int readers, int maxUsers) {
        if (readers < 1 || maxUsers < 1) throw new IllegalArgumentException("readers and maxUsers must be positive");
        this.store = store;
        this.readers = new Semaphore(readers, true);
        this.maxUsers = maxUsers;
    }

    /** The preferences of each of {@code users} that has any, as {@link PreferenceStore#findAll}. */
    Map<String, Preferences> find(List<String> users) {
        if (users.isEmpty()) return Map.of();
        Pending mine = new Pending(users, new CompletableFuture<>());
        queue.add(mine);
        while (!mine.answer().isDone()) {
            acquire();
            List<Pending> batch;
            try {
                if (mine.answer().isDone()) break;
                batch = drain();
                if (!batch.isEmpty()) lookUp(batch);
            } finally {
                readers.release();
            }
            // Nothing left to take: another caller holds our recipients, wait for its answer.
            if (batch.isEmpty()) break;
        }
        return await(mine.answer());
    }

    /** Lookups waiting for a slot (for tests). */
    int queued() {
        return queue.size();
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        int users = 0;
        Pending next;
        // Always take one, however many recipients it has; then only while the query stays under maxUsers.
        while ((next = queue.peek()) != null && (batch.isEmpty() || users + next.users().size() <= maxUsers)) {
            if (!queue.remove(next)) continue;
            batch.add(next);
            users += next.users().size();
        }
        return batch;
    }

    private void lookUp(List<Pending> batch) {
        Set<String> all = new LinkedHashSet<>();
        for (Pending p : batch) all.addAll(p.users());
        Map<String, Preferences> found;
        try {
            found = store.findAll(all);
        } catch (RuntimeException e) {
            for (Pending p : batch) p.answer().completeExceptionally(e);
            return;
        }
        for (Pending p : batch) {
            if (batch.size() == 1) {
                p.answer().complete(found);
                continue;
            }
            Map<String, Preferences> own = new HashMap<>();
            for (String user : p.users()) {
                Preferences prefs = found.get(user);
                if (prefs != null) own.put(user, prefs);
            }
            p.answer().complete(own);
        }
    }

    private void acquire() {
        try {
            readers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the preference store");
        }
    }

    private static Map<String, Preferences> await(CompletableFuture<Map<String, Preferences>> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the preference store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new HeraldException(ErrorCode.INTERNAL, "preference store failed", e.getCause());
        }
    }
}
