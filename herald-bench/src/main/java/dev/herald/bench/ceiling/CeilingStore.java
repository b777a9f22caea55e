package dev.herald.bench.ceiling;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ceiling's notification table on PostgreSQL: plain JDBC through a small HikariCP pool, every
 * batch of rows one INSERT … SELECT FROM unnest(arrays) in autocommit: one statement, one round
 * trip and one commit whatever the batch size, and one SQL text the driver prepares once per
 * connection. The table is what a team would create by hand (the row, its id, and the inbox index
 * a reader needs), with no idempotency, outbox or status columns: the least a stored notification
 * can cost. Blocking: call it off the event loop.
 */
final class CeilingStore implements AutoCloseable {
    /** One stored notification; {@code dataJson} is the caller's JSON object as text. */
    record Row(UUID id, String userId, String type, String title, String message, String dataJson) {}

    // Eight: the publisher's default connections, each drained by one lane holding one connection.
    private static final int POOL_SIZE = 8;
    private static final String INSERT = "INSERT INTO notifications (id, user_id, type, title, message, data, created_at)"
            + " SELECT r.id::uuid, r.user_id, r.type, r.title, r.message, r.data::json, ?"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS r(id, user_id, type, title, message, data)";

    private final HikariDataSource pool;

    private CeilingStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects and creates the table when missing; {@code url} is postgres://… or jdbc:postgresql:…. */
    static CeilingStore open(String url) throws SQLException {
        HikariConfig c = new HikariConfig();
        jdbc(url, c);
        c.setMaximumPoolSize(POOL_SIZE);
        c.setPoolName("ceiling-postgres");
        HikariDataSource pool = new HikariDataSource(c);
        try (Connection conn = pool.getConnection(); Statement st = conn.createStatement()) {
            // json, not jsonb, as Herald stores data: the ceiling must not do more work than Herald.
            st.execute("CREATE TABLE IF NOT EXISTS notifications (id uuid PRIMARY KEY, user_id text NOT NULL,"
                    + " type text NOT NULL, title text, message text, data json NOT NULL DEFAULT '{}',"
                    + " created_at timestamptz NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS notifications_user_created ON notifications (user_id, created_at DESC)");
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return new CeilingStore(pool);
    }

    private static void jdbc(String url, HikariConfig c) {
        if (url.startsWith("jdbc:postgresql:")) {
            c.setJdbcUrl(url);
            return;
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database URL must start with postgres://, postgresql:// or jdbc:postgresql:");
        }
        URI u = URI.create(url);
        c.setJdbcUrl("jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getRawPath()
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            c.setUsername(URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8));
            if (colon >= 0) c.setPassword(URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8));
        }
    }

    /** Stores every row, all created {@code at}, or none (one statement is atomic). */
    void insert(OffsetDateTime at, List<Row> rows) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n], users = new String[n], types = new String[n], titles = new String[n],
                messages = new String[n], data = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            ids[i] = r.id().toString();
            users[i] = r.userId();
            types[i] = r.type();
            titles[i] = r.title();
            messages[i] = r.message();
            data[i] = r.dataJson();
        }
        try (Connection conn = pool.getConnection(); PreparedStatement ps = conn.prepareStatement(INSERT)) {
            ps.setObject(1, at);
            String[][] columns = {ids, users, types, titles, messages, data};
            for (int i = 0; i < columns.length; i++) ps.setArray(i + 2, conn.createArrayOf("text", columns[i]));
            ps.executeUpdate();
        }
    }

    /**
     * A UUIDv7 (48-bit milliseconds, then random bits): time-ordered like Herald's ids, so inserts
     * append to the primary key's btree instead of splitting random pages.
     */
    static UUID timeOrderedId(long epochMillis) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long hi = (epochMillis << 16) | 0x7000L | (rnd.nextLong() & 0x0FFFL);
        long lo = (rnd.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo);
    }

    @Override
    public void close() {
        pool.close();
    }
}
