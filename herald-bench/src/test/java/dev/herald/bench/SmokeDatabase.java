package dev.herald.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A new, empty PostgreSQL database for one smoke test class (the pipeline scenario stores
 * notifications), created on the test PostgreSQL ({@code HERALD_TEST_DATABASE_URL}, default the
 * loopback one with trust auth) and dropped by {@link #close}.
 */
final class SmokeDatabase implements AutoCloseable {
    private static final URI ADMIN = URI.create(System.getenv().getOrDefault("HERALD_TEST_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/test"));

    private final String name;

    private SmokeDatabase(String name) {
        this.name = name;
    }

    static SmokeDatabase create() throws SQLException {
        String name = "herald_bench_smoke_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new SmokeDatabase(name);
    }

    /** {@code postgres://user@host:port/<this database>}: the form Herald, pg and the ceiling all read. */
    String url() {
        try {
            return new URI(ADMIN.getScheme(), ADMIN.getRawUserInfo(), ADMIN.getHost(), ADMIN.getPort(), "/" + name, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection admin() throws SQLException {
        String info = ADMIN.getUserInfo();
        String user = info == null ? null : info.split(":", 2)[0];
        String password = info == null || !info.contains(":") ? null : info.split(":", 2)[1];
        int port = ADMIN.getPort() < 0 ? 5432 : ADMIN.getPort();
        return DriverManager.getConnection("jdbc:postgresql://" + ADMIN.getHost() + ":" + port + ADMIN.getPath(), user, password);
    }

    /** Drops the database, closing whatever connections a server left open. */
    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
