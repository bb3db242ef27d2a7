package io.cascadefarm.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts what a process sends to PostgreSQL through one {@link DataSource}: statements executed
 * (each {@code execute*} call of a statement, a JDBC batch counting once) and explicit commits and
 * rollbacks. A statement in auto-commit mode is one round trip; a transaction costs its statements
 * plus its COMMIT. {@code farm bench farm} prints the figures per job.
 */
public final class StatementCounter {
  /** The counts at one moment. */
  public record Counts(long statements, long commits, long rollbacks) {
    /** Statements plus commits and rollbacks: the round trips to the server. */
    public long roundTrips() {
      return statements + commits + rollbacks;
    }

    public Counts minus(Counts earlier) {
      return new Counts(
          statements - earlier.statements,
          commits - earlier.commits,
          rollbacks - earlier.rollbacks);
    }
  }

  private final LongAdder statements = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final LongAdder rollbacks = new LongAdder();

  public Counts counts() {
    return new Counts(statements.sum(), commits.sum(), rollbacks.sum());
  }

  /** {@code target} with every connection it hands out counted here. */
  public DataSource wrap(DataSource target) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            handler(
                target,
                (m, r) ->
                    r instanceof Connection c && m.getName().equals("getConnection")
                        ? proxy(Connection.class, c, this::onConnection)
                        : r));
  }

  private Object onConnection(Method m, Object result) {
    switch (m.getName()) {
      case "commit" -> commits.increment();
      case "rollback" -> rollbacks.increment();
      default -> {
        if (result instanceof Statement s) {
          return proxy(statementType(s), s, this::onStatement);
        }
      }
    }
    return result;
  }

  private Object onStatement(Method m, Object result) {
    if (m.getName().startsWith("execute")) {
      statements.increment();
    }
    return result;
  }

  private static Class<? extends Statement> statementType(Statement s) {
    if (s instanceof java.sql.CallableStatement) {
      return java.sql.CallableStatement.class;
    }
    if (s instanceof java.sql.PreparedStatement) {
      return java.sql.PreparedStatement.class;
    }
    return Statement.class;
  }

  /** What to do with the result of a call on a proxied object. */
  @FunctionalInterface
  private interface After {
    Object apply(Method m, Object result);
  }

  private static <T> T proxy(Class<T> type, Object target, After after) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(), new Class<?>[] {type}, handler(target, after)));
  }

  private static InvocationHandler handler(Object target, After after) {
    return (proxy, m, args) -> {
      if (m.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> cls) {
        if (cls.isInstance(target)) {
          return target;
        }
      }
      Object result;
      try {
        result = m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      return after.apply(m, result);
    };
  }
}
