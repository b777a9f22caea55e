package dev.herald.store.jdbc;

import dev.herald.core.notification.Channel;
import dev.herald.core.store.RateCounter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * {@link RateCounter} over JDBC: one {@code rate_windows} row per recipient, channel and window,
 * counted by {@code INSERT … ON CONFLICT DO UPDATE … WHERE sends < limit RETURNING sends}. The
 * statement is atomic on PostgreSQL (the conflicting row is locked) and under SQLite's single
 * writer, so concurrent sends on any number of nodes never count past the limit.
 */
public final class JdbcRateCounter implements RateCounter {
    private final Database db;
    private final Dialect dialect;

    public JdbcRateCounter(Database db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    @Override
    public boolean tryCount(String recipientId, Channel channel, Instant windowStart, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be positive, was " + limit);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_windows (recipient_id, channel, window_start, sends) "
                    + "VALUES (?, ?, ?, 1) ON CONFLICT (recipient_id, channel, window_start) "
                    + "DO UPDATE SET sends = rate_windows.sends + 1 WHERE rate_windows.sends < ? RETURNING sends")) {
                ps.setString(1, recipientId);
                ps.setString(2, channel.wire());
                dialect.setInstant(ps, 3, windowStart);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public int purge(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rate_windows WHERE window_start < ?")) {
                dialect.setInstant(ps, 1, before);
                return ps.executeUpdate();
            }
        });
    }
}
