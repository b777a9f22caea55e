package dev.herald.store.postgres;

import dev.herald.core.store.Storage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The shared test PostgreSQL on loopback; each caller works in its own schema and drops it. */
public final class TestPostgres {
    public static final DatabaseUrl URL = DatabaseUrl.parse(
            System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"));

    private TestPostgres() {}

    public static String uniqueSchema() {
        return "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static Connection connect(String schema) throws SQLException {
        Connection c = DriverManager.getConnection(URL.jdbcUrl(), URL.user(), URL.password());
        if (schema != null) c.setSchema(schema);
        return c;
    }

    public static void dropSchema(String schema) {
        try (Connection c = connect(null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    /**
     * One schema for a whole test class: migrated by the first open, emptied before each test
     * (migrating a schema per test would cost more than the tests), dropped by {@link #drop}.
     */
    public static final class ClassSchema {
        private final String name = uniqueSchema();

        public String name() {
            return name;
        }

        /** A storage on the schema with every table empty. */
        public Storage freshStorage() {
            Storage storage = PostgresNotificationStore.open(URL, name, 4);
            try (Connection c = connect(name); Statement s = c.createStatement()) {
                s.execute("TRUNCATE notifications, idempotency_keys, outbox, delivery_log, notification_preferences, "
                        + "user_contacts, devices");
            } catch (SQLException e) {
                storage.close();
                throw new IllegalStateException("could not empty test schema " + name, e);
            }
            return storage;
        }

        public void drop() {
            dropSchema(name);
        }
    }
}
