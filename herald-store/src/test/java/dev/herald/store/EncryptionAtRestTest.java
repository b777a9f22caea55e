package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.HeraldException;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.DeliveryQuery;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.Storage;
import dev.herald.store.crypto.FieldCipher;
import dev.herald.store.postgres.PostgresNotificationStore;
import dev.herald.store.postgres.TestPostgres;
import dev.herald.store.sqlite.SqliteNotificationStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001's encryption at rest on both databases: the raw tables hold no plaintext, the ports read
 * it back, a rotated key still reads old rows, and a wrong or missing key refuses to open the store.
 */
class EncryptionAtRestTest {
    private static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");
    private static final String TITLE = "Your biopsy results are ready";
    private static final String MESSAGE = "Dr Quinn wrote a note for you";
    private static final String DATA = "{\"diagnosis\":\"confidential-diagnosis\"}";
    private static final String EMAIL = "patient.zero@example.org";
    private static final String PHONE = "+15550001234";
    private static final String WEBHOOK = "https://hooks.example.org/secret-path";
    private static final List<String> PLAINTEXTS = List.of("biopsy", "Dr Quinn", "confidential-diagnosis", "patient.zero",
            "5550001234", "secret-path");

    private final byte[] k1 = key();
    private final byte[] k2 = key();

    @TempDir
    Path dataDir;

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    interface Opener {
        Storage open(FieldCipher cipher);
    }

    @Test
    void sqliteStoresNoPlaintextRotatesAndRefusesAWrongKey() throws Exception {
        Opener open = cipher -> SqliteNotificationStore.open(dataDir, 2, StoreHooks.NONE.withCipher(cipher));
        exercise(open, () -> {
            try {
                return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteNotificationStore.FILE_NAME));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void postgresStoresNoPlaintextRotatesAndRefusesAWrongKey() throws Exception {
        String schema = TestPostgres.uniqueSchema();
        try {
            Opener open = cipher -> PostgresNotificationStore.open(TestPostgres.URL, schema, 2, StoreHooks.NONE.withCipher(cipher));
            exercise(open, () -> {
                try {
                    return TestPostgres.connect(schema);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    private void exercise(Opener open, Supplier<Connection> raw) throws Exception {
        NotificationIds ids = new NotificationIds();
        Notification first = notification(ids, "pat");
        try (Storage storage = open.open(FieldCipher.of("k1", k1, Map.of()))) {
            save(storage, ids, first);
            storage.contacts().putContact(new Contact("pat", EMAIL, PHONE, "en", null, WEBHOOK), NOW);
            assertReadsBack(storage, first);
        }
        try (Connection c = raw.get()) {
            String dump = dump(c);
            assertThat(PLAINTEXTS).allSatisfy(text -> assertThat(dump).as("raw rows").doesNotContain(text));
            assertThat(dump).contains("hx1:k1:");
        }

        // Rotation: k2 seals new rows, k1 (kept for reading) still opens the old ones.
        Notification second = notification(ids, "pat");
        try (Storage storage = open.open(FieldCipher.of("k2", k2, Map.of("k1", k1)))) {
            assertReadsBack(storage, first);
            save(storage, ids, second);
            assertReadsBack(storage, second);
        }
        try (Connection c = raw.get()) {
            assertThat(dump(c)).contains("hx1:k2:").contains("hx1:k1:");
        }

        // A wrong key under a known id, a missing old key, and encryption turned off: all refused.
        assertThatThrownBy(() -> open.open(FieldCipher.of("k2", key(), Map.of("k1", k1))).close())
                .isInstanceOf(HeraldException.class).hasMessageContaining("encryption key 'k2' is not the key this store was encrypted with");
        assertThatThrownBy(() -> open.open(FieldCipher.of("k2", k2, Map.of())).close())
                .isInstanceOf(HeraldException.class).hasMessageContaining("'k1', which is neither HERALD_ENCRYPTION_KEY nor in HERALD_ENCRYPTION_OLD_KEYS");
        assertThatThrownBy(() -> open.open(FieldCipher.none()).close())
                .isInstanceOf(HeraldException.class).hasMessageContaining("set HERALD_ENCRYPTION_KEY");
    }

    private static Notification notification(NotificationIds ids, String user) {
        return new Notification(ids.next(NOW), user, null, null, null, "lab", TITLE, MESSAGE, "health",
                Priority.HIGH, NotificationStatus.PENDING, DATA, NOW, null, null, null, null);
    }

    private static void save(Storage storage, NotificationIds ids, Notification n) {
        Delivery.Target target = new Delivery.Target(n.id(), n.recipientId(), n.type(), Channel.EMAIL, Priority.HIGH, Delivery.Kind.STANDARD, null);
        Delivery d = new Delivery(ids.next(NOW), target, new Delivery.State(DeliveryStatus.PENDING, null, 0, NOW, null, NOW),
                "{\"subject\":\"" + TITLE + "\",\"body\":\"" + MESSAGE + "\"}", NOW);
        storage.notifications().save(new NotificationBatch(List.of(n.id()), List.of(n), List.of(d)), null, NOW);
    }

    private static void assertReadsBack(Storage storage, Notification n) {
        Notification read = storage.inbox().find(n.recipientId(), n.id(), NOW).orElseThrow();
        assertThat(read.title()).isEqualTo(TITLE);
        assertThat(read.message()).isEqualTo(MESSAGE);
        assertThat(read.data()).isEqualTo(DATA);
        // Paging still works over sealed rows: order and counts come from plain columns.
        assertThat(storage.inbox().page(InboxQuery.firstPage(n.recipientId(), 10, false, NOW)).items())
                .extracting(Notification::title).containsOnly(TITLE);
        Contact contact = storage.contacts().contact("pat").orElseThrow();
        assertThat(contact.email()).isEqualTo(EMAIL);
        assertThat(contact.phone()).isEqualTo(PHONE);
        assertThat(contact.webhookUrl()).isEqualTo(WEBHOOK);
        assertThat(storage.outbox().find(DeliveryQuery.ofNotification(n.id()))).singleElement()
                .satisfies(d -> assertThat(d.payload()).contains(TITLE));
    }

    /** Every text cell of the tables that hold sensitive values. */
    private static String dump(Connection c) throws SQLException {
        List<String> cells = new ArrayList<>();
        for (String sql : List.of("SELECT title, message, CAST(data AS text) FROM notifications",
                "SELECT email, phone, webhook_url FROM user_contacts", "SELECT payload FROM outbox")) {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) for (int i = 1; i <= n; i++) cells.add(rs.getString(i));
            }
        }
        return String.join("\n", cells);
    }
}
