package dev.herald.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.store.jdbc.JdbcInboxStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded, zero-setup inbox: one SQLite file ({@code herald.db}) in the data directory, in
 * WAL mode with {@code synchronous=FULL}, so a committed write survives a crash or kill -9 (and
 * power loss). Readers run in parallel on a small pool; writers take one in-process lock, because
 * SQLite has a single writer and queuing here is cheaper and fairer than retrying on SQLITE_BUSY
 * ({@code busy_timeout} still covers another process, such as the CLI, holding the file).
 *
 * <p>Threading: as {@link dev.herald.core.store.InboxStore}: blocking, call from virtual threads
 * ({@link ReentrantLock} does not pin them).
 */
public final class SqliteNotificationStore extends JdbcInboxStore {
    public static final String FILE_NAME = "herald.db";
    private final HikariDataSource pool;
    private final ReentrantLock writer = new ReentrantLock();

    private SqliteNotificationStore(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir} and migrates it to the latest schema.
     *
     * @param readers connections in the pool (at least 2: one writer at a time plus readers)
     */
    public static SqliteNotificationStore open(Path dataDir, int readers) {
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
        hikari.setMaximumPoolSize(Math.max(2, readers));
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/sqlite").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new SqliteNotificationStore(pool);
    }

    @Override
    protected <T> T inWriteTransaction(SqlWork<T> work) {
        writer.lock();
        try {
            return inTransaction(work);
        } finally {
            writer.unlock();
        }
    }

    @Override
    protected void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value.toEpochMilli());
    }

    @Override
    protected Instant getInstant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    protected String idParameter() {
        return "?";
    }

    @Override
    protected String jsonParameter() {
        return "?";
    }

    @Override
    protected String claimLocking() {
        return "";
    }

    @Override
    public void close() {
        pool.close();
    }
}
