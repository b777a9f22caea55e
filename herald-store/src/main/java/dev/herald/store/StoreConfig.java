package dev.herald.store;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.nio.file.Path;

/**
 * How to open the store. Without {@code databaseUrl} the embedded SQLite store lives in
 * {@code dataDir} ({@code HERALD_DATA_DIR}, default {@code ./data}); with it (
 * {@code DATABASE_URL}) PostgreSQL is used. {@code poolSize} is the connection pool size
 * ({@code DATABASE_POOL_SIZE}); {@code retentionDays} how long notifications are kept
 * ({@code RETENTION_DAYS}); {@code schema} the PostgreSQL schema ({@code DATABASE_SCHEMA}).
 */
public record StoreConfig(Path dataDir, String databaseUrl, String schema, int poolSize, int retentionDays) {
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int DEFAULT_RETENTION_DAYS = 90;

    public StoreConfig {
        if (dataDir == null) dataDir = Path.of("data");
        if (databaseUrl != null && databaseUrl.isBlank()) databaseUrl = null;
        if (schema == null || schema.isBlank()) schema = "public";
        if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "DATABASE_SCHEMA must be a plain SQL identifier");
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "DATABASE_POOL_SIZE must be between 1 and 200");
        }
        if (retentionDays < 1 || retentionDays > 36_500) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "RETENTION_DAYS must be between 1 and 36500");
        }
    }

    /** The embedded store in {@code dataDir} with default pool and retention. */
    public static StoreConfig embedded(Path dataDir) {
        return new StoreConfig(dataDir, null, null, DEFAULT_POOL_SIZE, DEFAULT_RETENTION_DAYS);
    }

    public boolean usesPostgres() {
        return databaseUrl != null;
    }

    @Override
    public String toString() {
        return "StoreConfig[dataDir=" + dataDir + ", databaseUrl=" + (databaseUrl == null ? "none" : "***")
                + ", schema=" + schema + ", poolSize=" + poolSize + ", retentionDays=" + retentionDays + "]";
    }
}
