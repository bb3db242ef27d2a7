package io.cascadefarm.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one READ COMMITTED transaction: commits on success, rolls back on any failure,
 * re-runs it (up to three times) after a deadlock or serialization failure, and turns SQL errors
 * into {@link StoreException}/{@link StoreUnavailableException}.
 */
final class Transactions {
  private static final int ATTEMPTS = 3;

  private final DataSource dataSource;

  Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> T inTx(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return runAndCommit(c, work);
      } catch (SQLException e) {
        if (!SqlErrors.isRetryable(e) || attempt >= ATTEMPTS) {
          throw SqlErrors.translate(what, e);
        }
      }
    }
  }

  private static <T> T runAndCommit(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c, e);
      throw e;
    } finally {
      resetQuietly(c);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException r) {
      cause.addSuppressed(r);
    }
  }

  private static void resetQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // a broken connection is evicted by the pool
    }
  }
}
