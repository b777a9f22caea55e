package dev.herald.store.jdbc;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Borrows pooled connections first come, first served, and turns JDBC failures into coded errors
 * (UNAVAILABLE when the database cannot be reached, INTERNAL otherwise; never the SQL text).
 *
 * <p>HikariCP lets a newcomer take a freed connection ahead of long waiters; under contention that
 * gave multi-second tails (bench/inbox.sh, 32 clients on 10 connections). A fair gate sized to the
 * pool makes waiting orderly.
 *
 * <p>Threading: thread-safe; every method blocks (call from virtual threads).
 */
final class PooledConnections {
    /** How long a caller waits for a connection before the store answers UNAVAILABLE. */
    private static final long CONNECTION_WAIT_SECONDS = 30;

    private final DataSource dataSource;
    private final Semaphore gate;

    PooledConnections(DataSource dataSource, int poolSize) {
        this.dataSource = dataSource;
        this.gate = new Semaphore(poolSize, true);
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(SqlWork<T> work) {
        enterGate();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            gate.release();
        }
    }

    /** Runs read-only work on an autocommit connection. */
    <T> T read(SqlWork<T> work) {
        enterGate();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            gate.release();
        }
    }

    private void enterGate() {
        try {
            if (!gate.tryAcquire(CONNECTION_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new HeraldException(ErrorCode.UNAVAILABLE, "inbox store is saturated: no connection within "
                        + CONNECTION_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the inbox store");
        }
    }

    private static HeraldException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean unreachable = state.startsWith("08") || e instanceof SQLTransientException;
        return new HeraldException(unreachable ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                "inbox store failed" + (state.isEmpty() ? "" : " (SQLState " + state + ")"), e);
    }
}
