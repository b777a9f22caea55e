package dev.herald.core.store;

import dev.herald.core.notification.Preferences;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each user's delivery preferences, one document per user. Implementations:
 * MemoryPreferenceStore (reference), the SQLite and PostgreSQL stores (herald-store).
 *
 * <p>Guarantees: a put is durable when it returns and replaces the whole document (a PATCH is
 * read, merged in core and put: the last writer wins). Erasure goes through
 * {@link NotificationStore#eraseUser}. Threading: thread-safe and blocking; call from virtual threads.
 */
public interface PreferenceStore {
    /** The user's preferences, empty when they never set any (callers use {@link Preferences#defaults()}). */
    Optional<Preferences> find(String userId);

    void put(String userId, Preferences preferences, Instant at);

    /**
     * The preferences of each of {@code userIds} that has any (a create looks up all its
     * recipients at once); adapters answer in one query where they can.
     */
    default Map<String, Preferences> findAll(Collection<String> userIds) {
        Map<String, Preferences> found = new HashMap<>();
        for (String id : userIds) find(id).ifPresent(p -> found.put(id, p));
        return found;
    }
}
