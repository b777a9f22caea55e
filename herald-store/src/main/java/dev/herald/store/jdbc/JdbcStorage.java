package dev.herald.store.jdbc;

import dev.herald.core.store.Storage;

/** Every port of one JDBC database, sharing its pool, dialect and writer lock. */
public final class JdbcStorage {
    private JdbcStorage() {}

    /** The ports over {@code db}; closing the storage closes the database. */
    public static Storage of(Database db) {
        return new Storage(new JdbcNotificationStore(db), new JdbcInboxReader(db), new JdbcInboxMaintenance(db),
                new JdbcOutboxStore(db), new JdbcDeliveryLog(db), new JdbcPreferenceStore(db), new JdbcContactStore(db),
                new JdbcTemplateStore(db), new JdbcRateCounter(db), db);
    }
}
