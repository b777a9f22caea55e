package dev.herald.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What differs between the SQL databases Herald runs on; everything else is one SQL text. The
 * JDBC adapters are given a dialect (composition), they do not subclass one per database.
 * Implementations: {@code PostgresDialect}, {@code SqliteDialect}. Stateless and thread-safe.
 */
public interface Dialect {
    /** Binds an instant, null allowed. Stores keep milliseconds: a finer value is truncated. */
    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Reads an instant column, null allowed. */
    Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** The placeholder for a parameter compared with a uuid column ({@code notifications.id}). */
    String uuidParameter();

    /** The placeholder for a parameter stored in a JSON column. */
    String jsonParameter();

    /**
     * What follows a claim's sub-select so concurrent claimers skip each other's rows
     * ({@code FOR UPDATE SKIP LOCKED}), or "" where writers are serialised anyway.
     */
    String claimLocking();

    /**
     * A condition a claim adds for a row that waits for a digest (columns {@code recipient_id},
     * {@code channel}, {@code digest_key} of table alias {@code alias}): true when this transaction
     * may take that digest, false when a concurrent claimer already took it. Claimers then never
     * split a digest. "1" where writers are serialised anyway.
     */
    String digestGuard(String alias);

    /**
     * Whether the database has a single writer, so writes queue on one in-process lock instead of
     * retrying on a busy error (SQLite).
     */
    boolean singleWriter();
}
