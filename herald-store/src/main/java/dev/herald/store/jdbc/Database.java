package dev.herald.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.crypto.FieldCipher;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open database as the JDBC adapters share it: the pool (behind a fair gate), the dialect,
 * and, for a single-writer database, the lock every write transaction takes. Every adapter of one
 * {@link dev.herald.core.store.Storage} holds the same instance, so SQLite's writes of all ports
 * queue on one lock.
 *
 * <p>Statement texts use {@code {uuid}} for a parameter compared with a uuid column and
 * {@code {json}} for a JSON parameter; {@link #sql} turns them into the dialect's placeholders.
 *
 * <p>Threading: thread-safe; every method blocks (call from virtual threads; {@link ReentrantLock}
 * does not pin them).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final PooledConnections connections;
    private final ReentrantLock writer;
    private final FieldCipher cipher;

    public Database(HikariDataSource pool, Dialect dialect) {
        this(pool, dialect, FieldCipher.none());
    }

    /** @param cipher seals the sensitive columns ({@link FieldCipher#none()}: stored as given) */
    public Database(HikariDataSource pool, Dialect dialect, FieldCipher cipher) {
        this.pool = pool;
        this.dialect = dialect;
        this.cipher = cipher;
        this.connections = new PooledConnections(pool, pool.getMaximumPoolSize());
        this.writer = dialect.singleWriter() ? new ReentrantLock() : null;
    }

    public Dialect dialect() {
        return dialect;
    }

    public FieldCipher cipher() {
        return cipher;
    }

    /** Connections in the pool. */
    public int poolSize() {
        return pool.getMaximumPoolSize();
    }

    /** Runs one write transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(SqlWork<T> work) {
        if (writer == null) return connections.inTransaction(work);
        writer.lock();
        try {
            return connections.inTransaction(work);
        } finally {
            writer.unlock();
        }
    }

    /** Runs read-only work on an autocommit connection; sees every write that returned before. */
    public <T> T read(SqlWork<T> work) {
        return connections.read(work);
    }

    public String sql(String text) {
        return text.replace("{uuid}", dialect.uuidParameter()).replace("{json}", dialect.jsonParameter());
    }

    @Override
    public void close() {
        pool.close();
    }
}
