package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection, inside a transaction or on an autocommit read. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
