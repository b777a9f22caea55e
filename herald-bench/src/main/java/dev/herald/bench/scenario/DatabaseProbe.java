package dev.herald.bench.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU used by the PostgreSQL backends serving one database (the server's pool), read from
 * {@code /proc/<pid>/stat} of each backend that {@code pg_stat_activity} lists for it. Only when
 * PostgreSQL runs on this machine; on two shared cores its CPU is part of what a delivery costs.
 * Backends that come and go between two readings are counted from when they were first seen.
 */
final class DatabaseProbe implements AutoCloseable {
    private final Connection connection;

    private DatabaseProbe(Connection connection) {
        this.connection = connection;
    }

    /** A probe for {@code url} ({@code postgres://user@host:port/db}), or null when it cannot connect. */
    static DatabaseProbe open(String url) {
        if (url == null || url.isBlank()) return null;
        try {
            URI u = URI.create(url.replaceFirst("^postgresql://", "postgres://"));
            String user = null;
            String password = null;
            if (u.getRawUserInfo() != null) {
                String[] parts = u.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                if (parts.length == 2) password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
            String jdbc = "jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getRawPath();
            return new DatabaseProbe(DriverManager.getConnection(jdbc, user, password));
        } catch (SQLException | IllegalArgumentException e) {
            return null;
        }
    }

    /** CPU nanoseconds so far of each backend of the database but this probe's own, by pid. */
    Map<Long, Long> cpuNanosByBackend() throws SQLException {
        Map<Long, Long> cpu = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                try {
                    cpu.put(pid, ServerProbe.cpuNanosOf(pid));
                } catch (IOException e) {
                    // gone, or another host's: not counted
                }
            }
        }
        return cpu;
    }

    /**
     * Transactions committed in the database so far ({@code pg_stat_database.xact_commit}, this
     * probe's own readings included). PostgreSQL publishes a backend's counts within about a
     * second of its transactions, so a difference over a window of many seconds is close.
     */
    long commits() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** CPU the backends used between two readings. */
    static long used(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (var e : after.entrySet()) sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        return sum;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
