package io.cascadefarm.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection inside one transaction. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection c) throws SQLException;
}
