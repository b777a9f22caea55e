package dev.herald.store.jdbc;

import dev.herald.core.notification.NotificationIds;
import dev.herald.core.store.InboxMaintenance;
import dev.herald.core.store.PurgeResult;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@link InboxMaintenance} over JDBC: every purge deletes in batches of {@value #PURGE_BATCH}, each
 * its own short transaction. Besides the inbox and the keys, retention drops final outbox rows and
 * delivery-log rows older than {@code createdBefore} (waiting rows stay whatever their age).
 */
public final class JdbcInboxMaintenance implements InboxMaintenance {
    private static final int PURGE_BATCH = 1000;

    private final Database db;
    private final Dialect dialect;

    public JdbcInboxMaintenance(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    @Override
    public PurgeResult purge(Instant now, Instant createdBefore) {
        int expired = purgeBatches("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
                + "WHERE expires_at <= ? LIMIT " + PURGE_BATCH + ")", ps -> dialect.setInstant(ps, 1, now));
        // Ids are time-ordered with created_at as their time, so this is a primary-key range scan.
        int old = purgeBatches(db.sql("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
                + "WHERE id < {uuid} LIMIT " + PURGE_BATCH + ")"), ps -> ps.setString(1, NotificationIds.lowestAt(createdBefore)));
        int keys = purgeBatches("DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
                + "WHERE expires_at <= ? LIMIT " + PURGE_BATCH + ")", ps -> dialect.setInstant(ps, 1, now));
        purgeBatches("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < ? AND status NOT IN "
                + "('pending', 'held') LIMIT " + PURGE_BATCH + ")", ps -> dialect.setInstant(ps, 1, createdBefore));
        purgeBatches("DELETE FROM delivery_log WHERE id IN (SELECT id FROM delivery_log WHERE at < ? LIMIT "
                + PURGE_BATCH + ")", ps -> dialect.setInstant(ps, 1, createdBefore));
        return new PurgeResult(expired, old, keys);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int purgeBatches(String text, Binder binder) {
        int total = 0;
        while (true) {
            int n = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(text)) {
                    binder.bind(ps);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PURGE_BATCH) return total;
        }
    }
}
