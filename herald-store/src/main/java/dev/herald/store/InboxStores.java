package dev.herald.store;

import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.memory.MemoryIngestDeadLetters;
import dev.herald.core.store.InboxStore;
import dev.herald.core.store.Storage;
import dev.herald.store.jdbc.Database;
import dev.herald.store.jdbc.JdbcIngestDeadLetters;
import dev.herald.store.postgres.DatabaseUrl;
import dev.herald.store.postgres.PostgresNotificationStore;
import dev.herald.store.sqlite.SqliteNotificationStore;

/** Opens the store the configuration names: PostgreSQL when a database URL is set, else embedded SQLite. */
public final class InboxStores {
    private InboxStores() {}

    /** Opens and migrates the store and returns every port of it; blocking. The caller closes it at shutdown. */
    public static Storage openStorage(StoreConfig config) {
        return openStorage(config, StoreHooks.NONE);
    }

    /** As {@link #openStorage(StoreConfig)}, with the composition root's additions. */
    public static Storage openStorage(StoreConfig config, StoreHooks hooks) {
        if (config.usesPostgres()) {
            return PostgresNotificationStore.open(DatabaseUrl.parse(config.databaseUrl()), config.schema(), config.poolSize(), hooks);
        }
        return SqliteNotificationStore.open(config.dataDir(), Math.min(config.poolSize(), 8), hooks);
    }

    /**
     * The dead letters of broker ingestion, in the same database as {@code storage} (which must
     * have been opened by {@link #openStorage}); an in-memory store keeps them in memory.
     */
    public static IngestDeadLetters ingestDeadLetters(Storage storage) {
        if (storage.resources() instanceof Database db) return new JdbcIngestDeadLetters(db);
        return new MemoryIngestDeadLetters();
    }

    /** As {@link #openStorage}, seen through the inbox ports only (callers that predate {@link Storage}). */
    public static InboxStore open(StoreConfig config) {
        return new StorageInboxStore(openStorage(config));
    }
}
