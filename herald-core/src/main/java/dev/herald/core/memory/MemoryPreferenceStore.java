package dev.herald.core.memory;

import dev.herald.core.notification.Preferences;
import dev.herald.core.store.PreferenceStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory preferences: the reference behaviour of {@link PreferenceStore}. */
public final class MemoryPreferenceStore implements PreferenceStore {
    private final Map<String, Preferences> byUser = new ConcurrentHashMap<>();

    @Override
    public Optional<Preferences> find(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    @Override
    public void put(String userId, Preferences preferences, Instant at) {
        byUser.put(userId, preferences);
    }

    void eraseUser(String userId) {
        byUser.remove(userId);
    }
}
