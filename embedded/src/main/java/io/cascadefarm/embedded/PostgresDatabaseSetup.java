package io.cascadefarm.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates the application role and database (owned by that role) if they do not exist yet. */
final class PostgresDatabaseSetup {
  private PostgresDatabaseSetup() {}

  static void ensure(DataSource superuser, String database, String user, String password)
      throws SQLException {
    requireIdentifier(database, "database");
    requireIdentifier(user, "user");
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement()) {
      String quotedPassword = "'" + password.replace("'", "''") + "'";
      if (!exists(c, "select 1 from pg_roles where rolname = ?", user)) {
        st.execute("create role " + user + " login password " + quotedPassword);
      } else {
        st.execute("alter role " + user + " login password " + quotedPassword);
      }
      if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
        st.execute("create database " + database + " owner " + user);
      }
    }
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static void requireIdentifier(String value, String field) {
    if (value == null || !value.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "PostgreSQL " + field + " must be a lower-case SQL identifier but was '" + value + "'");
    }
  }
}
