package dev.herald.store.jdbc;

import dev.herald.core.notification.Preferences;
import dev.herald.core.store.PreferenceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link PreferenceStore} over JDBC: one JSON document per user ({@link PreferencesJson}), replaced whole. */
public final class JdbcPreferenceStore implements PreferenceStore {
    // Well under SQLite's 32 766 parameters and PostgreSQL's 65 535, and a short statement to plan.
    static final int CHUNK = 500;

    private final Database db;

    public JdbcPreferenceStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Preferences> find(String userId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT document FROM notification_preferences WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(PreferencesJson.read(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** One query per {@link #CHUNK} users (a create looks up all its recipients at once). */
    @Override
    public Map<String, Preferences> findAll(Collection<String> userIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
        Map<String, Preferences> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT user_id, document FROM notification_preferences WHERE user_id IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) found.put(rs.getString(1), PreferencesJson.read(rs.getString(2)));
                    }
                }
                return null;
            });
        }
        return found;
    }

    @Override
    public void put(String userId, Preferences preferences, Instant at) {
        String document = PreferencesJson.write(preferences);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO notification_preferences "
                    + "(user_id, document, updated_at) VALUES (?, {json}, ?) ON CONFLICT (user_id) DO UPDATE "
                    + "SET document = excluded.document, updated_at = excluded.updated_at"))) {
                ps.setString(1, userId);
                ps.setString(2, document);
                db.dialect().setInstant(ps, 3, at);
                return ps.executeUpdate();
            }
        });
    }
}
