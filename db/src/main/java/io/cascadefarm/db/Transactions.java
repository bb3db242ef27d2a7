package io.cascadefarm.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one READ COMMITTED transaction: commits on success, rolls back on any failure, and
 * turns SQL errors into {@link StoreException}/{@link StoreUnavailableException}.
 *
 * <p>The work is run again (at most {@value #ATTEMPTS} times in all) after a deadlock, a
 * serialization failure, or a connection that broke before the commit was sent (a pooled connection
 * left over from before a PostgreSQL restart): in each case the server rolled the transaction back,
 * so repeating it is safe. A connection lost during the commit itself is not retried, since its
 * outcome is unknown; it surfaces as {@link StoreUnavailableException}.
 *
 * <p>{@link #statement} runs a single statement in auto-commit mode instead: one round trip, no
 * COMMIT. It is run again only after a deadlock or serialization failure (the server rolled it
 * back); a broken connection leaves its outcome unknown and surfaces as {@link
 * StoreUnavailableException}.
 */
final class Transactions {
  private static final int ATTEMPTS = 3;

  private final DataSource dataSource;

  Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> T inTx(String what, SqlWork<T> work) {
    String previous = StatementCounter.enter(what);
    try {
      return runInTx(what, work);
    } finally {
      StatementCounter.leave(previous);
    }
  }

  private <T> T runInTx(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        T result;
        try {
          result = work.run(c);
        } catch (SQLException e) {
          rollbackQuietly(c, e);
          if (attempt < ATTEMPTS && (SqlErrors.isRetryable(e) || SqlErrors.isUnavailable(e))) {
            continue;
          }
          throw SqlErrors.translate(what, e);
        } catch (RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        }
        c.commit();
        c.setAutoCommit(true);
        return result;
      } catch (SQLException e) {
        throw SqlErrors.translate(what, e);
      }
    }
  }

  /** Runs {@code work}, which must issue exactly one statement, in auto-commit mode. */
  <T> T statement(String what, SqlWork<T> work) {
    String previous = StatementCounter.enter(what);
    try {
      return runStatement(what, work);
    } finally {
      StatementCounter.leave(previous);
    }
  }

  private <T> T runStatement(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        return work.run(c);
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && SqlErrors.isRetryable(e)) {
          continue;
        }
        throw SqlErrors.translate(what, e);
      }
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException r) {
      cause.addSuppressed(r); // a broken connection: the pool evicts it
    }
  }
}
