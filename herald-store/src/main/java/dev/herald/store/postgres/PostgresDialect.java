package dev.herald.store.postgres;

import dev.herald.store.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** PostgreSQL: timestamptz instants, typed uuid/json parameters, claims that skip locked rows. */
public final class PostgresDialect implements Dialect {
    /** The advisory-lock class of outbox digests ("HRLD"). */
    private static final int DIGEST_LOCK_CLASS = 0x48524c44;

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(index, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @Override
    public String uuidParameter() {
        return "?::uuid";
    }

    @Override
    public String jsonParameter() {
        return "?::json";
    }

    @Override
    public String claimLocking() {
        return "FOR UPDATE SKIP LOCKED";
    }

    /**
     * A transaction-scoped advisory lock per digest, tried, never waited for. The two-int form has
     * its own key space, apart from the bigint keys (Flyway's migration lock among them); a hash
     * collision between two digests only makes one of them wait for the next claim.
     */
    @Override
    public String digestGuard(String alias) {
        return "pg_try_advisory_xact_lock(" + DIGEST_LOCK_CLASS + ", hashtext(" + alias + ".recipient_id || chr(31) || "
                + alias + ".channel || chr(31) || " + alias + ".digest_key))";
    }

    @Override
    public boolean singleWriter() {
        return false;
    }
}
