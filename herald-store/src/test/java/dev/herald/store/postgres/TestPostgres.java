package dev.herald.store.postgres;

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

    public static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(URL.jdbcUrl(), URL.user(), URL.password());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }
}
