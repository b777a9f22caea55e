package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.jdbc.JdbcInboxStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.flywaydb.core.Flyway;

/**
 * The reference inbox on PostgreSQL: a HikariCP pool, Flyway migrations at open (several nodes may
 * start at once: Flyway takes an advisory lock), and due scheduled rows claimed with
 * {@code FOR UPDATE SKIP LOCKED} so every node can run the scheduler without announcing a row twice.
 *
 * <p>Threading: as {@link dev.herald.core.store.InboxStore}: blocking, call from virtual threads.
 */
public final class PostgresNotificationStore extends JdbcInboxStore {
    private final HikariDataSource pool;

    private PostgresNotificationStore(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    /**
     * Connects, migrates {@code schema} (created when missing) to the latest version and returns
     * the store; every pooled connection uses that schema.
     */
    public static PostgresNotificationStore open(DatabaseUrl url, String schema, int poolSize) {
        Objects.requireNonNull(schema, "schema");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) hikari.setUsername(url.user());
        if (url.password() != null) hikari.setPassword(url.password());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setPoolName("herald-postgres");
        hikari.setSchema(schema);
        // The pool must exist before the schema does, so fail at first use rather than at construction.
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).schemas(schema).defaultSchema(schema).createSchemas(true)
                    .locations("classpath:db/migration/postgres").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresNotificationStore(pool);
    }

    @Override
    protected void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    protected Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @Override
    protected String idParameter() {
        return "?::uuid";
    }

    @Override
    protected String jsonParameter() {
        return "?::json";
    }

    @Override
    protected String claimLocking() {
        return "FOR UPDATE SKIP LOCKED";
    }

    @Override
    public void close() {
        pool.close();
    }
}
