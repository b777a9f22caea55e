package dev.herald.store.sqlite;

import dev.herald.store.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * SQLite: instants as INTEGER epoch milliseconds, uuid and json as plain text, and one writer, so
 * claims need no row locks (the writer lock makes each claim exclusive).
 */
public final class SqliteDialect implements Dialect {
    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value.toEpochMilli());
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public String uuidParameter() {
        return "?";
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public String claimLocking() {
        return "";
    }

    @Override
    public String digestGuard(String alias) {
        return "1";
    }

    @Override
    public boolean singleWriter() {
        return true;
    }
}
