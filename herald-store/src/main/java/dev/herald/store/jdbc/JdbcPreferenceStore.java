package dev.herald.store.jdbc;

import dev.herald.core.notification.Preferences;
import dev.herald.core.store.PreferenceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link PreferenceStore} over JDBC: one JSON document per user ({@link PreferencesJson}), replaced whole. */
public final class JdbcPreferenceStore implements PreferenceStore {
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
