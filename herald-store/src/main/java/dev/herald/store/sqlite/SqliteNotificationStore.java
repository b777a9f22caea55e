package dev.herald.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.store.Storage;
import dev.herald.store.StoreHooks;
import dev.herald.store.crypto.KeyCheck;
import dev.herald.store.jdbc.Database;
import dev.herald.store.jdbc.JdbcStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the embedded, zero-setup store: one SQLite file ({@code herald.db}) in the data directory,
 * in WAL mode with {@code synchronous=FULL}, so a committed write survives a crash or kill -9 (and
 * power loss). Readers run in parallel on a small pool; writers of every port take one in-process
 * lock ({@link SqliteDialect#singleWriter()}), because SQLite has a single writer and queuing here is
 * cheaper and fairer than retrying on SQLITE_BUSY ({@code busy_timeout} still covers another
 * process, such as the CLI, holding the file).
 */
public final class SqliteNotificationStore {
    public static final String FILE_NAME = "herald.db";

    private SqliteNotificationStore() {}

    /**
     * Opens (creating if needed) the store in {@code dataDir}, migrates it to the latest schema and
     * returns every port of it. Blocking.
     *
     * @param readers connections in the pool (at least 2: one writer at a time plus readers)
     */
    public static Storage open(Path dataDir, int readers) {
        return open(dataDir, readers, StoreHooks.NONE);
    }

    /** As {@link #open(Path, int)}, with the composition root's additions. */
    public static Storage open(Path dataDir, int readers, StoreHooks hooks) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "cannot create data directory " + dataDir, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("herald-sqlite");
        hooks.poolMetrics().ifPresent(hikari::setMetricsTrackerFactory);
        hikari.setMaximumPoolSize(Math.max(2, readers));
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/sqlite").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        Database db = new Database(pool, new SqliteDialect(), hooks.cipher());
        try {
            KeyCheck.verify(db, hooks.cipher(), hooks.clock().instant());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return JdbcStorage.of(db);
    }
}
