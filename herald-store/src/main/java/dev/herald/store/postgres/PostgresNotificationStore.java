package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.core.store.Storage;
import dev.herald.store.StoreHooks;
import dev.herald.store.crypto.KeyCheck;
import dev.herald.store.jdbc.Database;
import dev.herald.store.jdbc.JdbcStorage;
import java.util.Objects;
import org.flywaydb.core.Flyway;

/**
 * Opens the reference store on PostgreSQL: a HikariCP pool, Flyway migrations at open (several
 * nodes may start at once: Flyway takes an advisory lock), and the JDBC ports with
 * {@link PostgresDialect}, whose claims use {@code FOR UPDATE SKIP LOCKED} so every node can run
 * the scheduler and the dispatcher without taking a row twice.
 */
public final class PostgresNotificationStore {
    private PostgresNotificationStore() {}

    /**
     * Connects, migrates {@code schema} (created when missing) to the latest version and returns
     * every port of the store; every pooled connection uses that schema. Blocking.
     */
    public static Storage open(DatabaseUrl url, String schema, int poolSize) {
        return open(url, schema, poolSize, StoreHooks.NONE);
    }

    /** As {@link #open(DatabaseUrl, String, int)}, with the composition root's additions. */
    public static Storage open(DatabaseUrl url, String schema, int poolSize, StoreHooks hooks) {
        Objects.requireNonNull(schema, "schema");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) hikari.setUsername(url.user());
        if (url.password() != null) hikari.setPassword(url.password());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setPoolName("herald-postgres");
        hooks.poolMetrics().ifPresent(hikari::setMetricsTrackerFactory);
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
        Database db = new Database(pool, new PostgresDialect(), hooks.cipher());
        try {
            KeyCheck.verify(db, hooks.cipher(), hooks.clock().instant());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return JdbcStorage.of(db);
    }
}
