package io.cascadefarm.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Classifies SQL failures by SQLState: connection loss, retryable conflicts, constraint hits. */
final class SqlErrors {
  static final String UNIQUE_VIOLATION = "23505";

  private SqlErrors() {}

  /** True if the server is unreachable, shutting down, or the pool timed out. */
  static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLTransientConnectionException) {
        return true;
      }
      if (c instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("57014")) { // query_canceled: statement or socket timeout
          return true;
        }
      }
      if (c instanceof java.net.ConnectException || c instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Serialization failure or deadlock: the transaction may simply be run again. */
  static boolean isRetryable(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  static RuntimeException translate(String what, SQLException e) {
    if (isUnavailable(e)) {
      return new StoreUnavailableException(
          "database unavailable during " + what + ": " + e.getMessage(), e);
    }
    return new StoreException(what + " failed: " + e.getMessage(), e);
  }
}
