package dev.herald.faults;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the notifications a scenario stored straight from the store's tables, not through the
 * server under test, so a server that answers 202 and forgets is caught.
 */
final class StoredRows {
    static final String PG_JDBC = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String PG_URL = "postgres://postgres@127.0.0.1:5432/test";

    /** One stored notification: its id and the title the scenario gave it (its create's identity). */
    record Row(String id, String title) {}

    /** One outbox row: the delivery id (a webhook's {@code webhook-id}), its status and the attempts made. */
    record Outbox(String id, String status, int attempts) {}

    private StoredRows() {}

    /** The embedded store's file under a node's data directory. */
    static List<Row> sqlite(Path dataDir, String recipientPrefix) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"))) {
            return rows(c, "notifications", recipientPrefix);
        }
    }

    static List<Row> postgres(String schema, String recipientPrefix) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_JDBC, "postgres", "")) {
            return rows(c, schema + ".notifications", recipientPrefix);
        }
    }

    /** Every outbox row of the scenario's users, by delivery id. */
    static Map<String, Outbox> outbox(String schema, String recipientPrefix) throws SQLException {
        Map<String, Outbox> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(PG_JDBC, "postgres", "");
             PreparedStatement st = c.prepareStatement("SELECT id, status, attempts FROM " + schema + ".outbox WHERE recipient_id LIKE ?")) {
            st.setString(1, recipientPrefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new Outbox(rs.getString(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return out;
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_JDBC, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static List<Row> rows(Connection c, String table, String recipientPrefix) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, title FROM " + table + " WHERE recipient_id LIKE ?")) {
            st.setString(1, recipientPrefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }
}
