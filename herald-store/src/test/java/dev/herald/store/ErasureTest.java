package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.InboxStore;
import dev.herald.store.postgres.PostgresNotificationStore;
import dev.herald.store.postgres.TestPostgres;
import dev.herald.store.sqlite.SqliteNotificationStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasing a user reaches the tables other features fill, on both databases. */
class ErasureTest {
    private static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");
    private static final List<String> USER_TABLES = List.of("notifications", "outbox", "delivery_log",
            "notification_preferences", "user_contacts", "devices");

    @TempDir
    Path dataDir;

    @Test
    void erasesEveryRowAboutTheUserOnSqlite() throws Exception {
        try (InboxStore store = SqliteNotificationStore.open(dataDir, 2);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteNotificationStore.FILE_NAME))) {
            erasesEverythingAboutOneUser(store, c, "?", "1");
        }
    }

    @Test
    void erasesEveryRowAboutTheUserOnPostgres() throws Exception {
        String schema = TestPostgres.uniqueSchema();
        try (InboxStore store = PostgresNotificationStore.open(TestPostgres.URL, schema, 2);
             Connection c = DriverManager.getConnection(TestPostgres.URL.jdbcUrl(), TestPostgres.URL.user(), TestPostgres.URL.password())) {
            c.setSchema(schema);
            erasesEverythingAboutOneUser(store, c, "?::uuid", "now()");
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    private void erasesEverythingAboutOneUser(InboxStore store, Connection c, String uuid, String time) throws SQLException {
        NotificationIds ids = new NotificationIds();
        for (String user : List.of("gone", "stays")) {
            Notification n = new Notification(ids.next(NOW), user, null, null, null, "t", "x", "", "general",
                    Priority.LOW, NotificationStatus.PENDING, null, NOW, null, null, null, null);
            store.saveAll(List.of(n), null, NOW);
            exec(c, "INSERT INTO outbox (notification_id, recipient_id, channel, priority, status, next_attempt_at, created_at, updated_at) "
                    + "VALUES (" + uuid + ", ?, 'email', 'low', 'pending', " + time + ", " + time + ", " + time + ")", n.id(), user);
            exec(c, "INSERT INTO delivery_log (notification_id, recipient_id, channel, status, created_at) "
                    + "VALUES (" + uuid + ", ?, 'email', 'failed', " + time + ")", n.id(), user);
            exec(c, "INSERT INTO notification_preferences (user_id, notification_type, channel, updated_at) VALUES (?, 't', 'email', " + time + ")", user);
            exec(c, "INSERT INTO user_contacts (user_id, email, updated_at) VALUES (?, 'x@example.org', " + time + ")", user);
            exec(c, "INSERT INTO devices (id, user_id, kind, token, created_at, last_seen_at) VALUES ("
                    + uuid + ", ?, 'fcm', ?, " + time + ", " + time + ")", ids.next(NOW), user, "token-" + user);
        }

        int erased = store.eraseUser("gone");

        assertThat(erased).isEqualTo(1);
        for (String table : USER_TABLES) {
            assertThat(rowsOf(c, table, "gone")).as(table).isZero();
            assertThat(rowsOf(c, table, "stays")).as(table).isEqualTo(1);
        }
    }

    private static void exec(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) ps.setString(i + 1, values[i]);
            ps.executeUpdate();
        }
    }

    private static long rowsOf(Connection c, String table, String user) throws SQLException {
        String column = table.equals("notifications") || table.equals("outbox") || table.equals("delivery_log") ? "recipient_id" : "user_id";
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + column + " = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
