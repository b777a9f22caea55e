package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.Storage;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasing a user leaves no row about them in any table, on both databases (the contracts check the ports). */
class ErasureTest {
    private static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");
    private static final List<String> USER_TABLES = List.of("notifications", "outbox", "delivery_log",
            "notification_preferences", "user_contacts", "devices");

    @TempDir
    Path dataDir;

    @Test
    void erasesEveryRowAboutTheUserOnSqlite() throws Exception {
        try (Storage storage = SqliteNotificationStore.open(dataDir, 2);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteNotificationStore.FILE_NAME))) {
            erasesEverythingAboutOneUser(storage, c);
        }
    }

    @Test
    void erasesEveryRowAboutTheUserOnPostgres() throws Exception {
        String schema = TestPostgres.uniqueSchema();
        try (Storage storage = PostgresNotificationStore.open(TestPostgres.URL, schema, 2);
             Connection c = TestPostgres.connect(schema)) {
            erasesEverythingAboutOneUser(storage, c);
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    private void erasesEverythingAboutOneUser(Storage storage, Connection c) throws SQLException {
        NotificationIds ids = new NotificationIds();
        for (String user : List.of("gone", "stays")) {
            Notification n = new Notification(ids.next(NOW), user, null, null, null, "t", "x", "", "general",
                    Priority.LOW, NotificationStatus.PENDING, null, NOW, null, null, null, null);
            Delivery.Target target = new Delivery.Target(n.id(), user, "t", Channel.EMAIL, Priority.LOW, Delivery.Kind.STANDARD, null);
            Delivery d = new Delivery(ids.next(NOW), target, new Delivery.State(DeliveryStatus.PENDING, null, 0, NOW, null, NOW), "{}", NOW);
            storage.notifications().save(new NotificationBatch(List.of(n.id()), List.of(n), List.of(d)), null, NOW);
            storage.deliveryLog().append(new DeliveryAttempt(d.id(), target, 1, DeliveryStatus.FAILED, "smtp", null, "550", NOW));
            storage.preferences().put(user, Preferences.defaults().withChannels(Map.of(Channel.SMS, false)), NOW);
            storage.contacts().putContact(new Contact(user, "x@example.org", null, null, null, null), NOW);
            storage.contacts().addDevice(new Device(ids.next(NOW), user, Device.Platform.FCM, "token-" + user, null, null, NOW));
        }

        int erased = storage.notifications().eraseUser("gone");

        assertThat(erased).isEqualTo(1);
        for (String table : USER_TABLES) {
            assertThat(rowsOf(c, table, "gone")).as(table).isZero();
            assertThat(rowsOf(c, table, "stays")).as(table).isEqualTo(1);
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
