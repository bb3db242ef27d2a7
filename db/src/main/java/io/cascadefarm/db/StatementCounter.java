package io.cascadefarm.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts what a process sends to PostgreSQL through one {@link DataSource}: statements executed
 * (each {@code execute*} call of a statement, a JDBC batch counting once) and explicit commits and
 * rollbacks. A statement in auto-commit mode is one round trip; a transaction costs its statements
 * plus its COMMIT. {@code farm bench farm} prints the figures per job.
 *
 * <p>Statements are also counted by operation: the first word of the description a store gives
 * {@code Transactions} for the statement or transaction it runs ({@code claim}, {@code sync},
 * {@code succeed}, {@code heartbeat}...), {@value #OTHER} for statements sent outside it.
 */
public final class StatementCounter {
  /** The operation of statements sent outside {@code Transactions}. */
  public static final String OTHER = "other";

  private static final ThreadLocal<String> OPERATION = new ThreadLocal<>();

  /** The counts at one moment. */
  public record Counts(
      long statements, long commits, long rollbacks, Map<String, Long> byOperation) {
    public Counts {
      byOperation = Map.copyOf(byOperation);
    }

    /** Statements plus commits and rollbacks: the round trips to the server. */
    public long roundTrips() {
      return statements + commits + rollbacks;
    }

    /** Statements sent for {@code operation} (0 if none). */
    public long statements(String operation) {
      return byOperation.getOrDefault(operation, 0L);
    }

    public Counts minus(Counts earlier) {
      Map<String, Long> ops = new java.util.HashMap<>(byOperation);
      earlier.byOperation.forEach((k, v) -> ops.merge(k, -v, Long::sum));
      return new Counts(
          statements - earlier.statements,
          commits - earlier.commits,
          rollbacks - earlier.rollbacks,
          ops);
    }
  }

  private final LongAdder statements = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final LongAdder rollbacks = new LongAdder();
  private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

  public Counts counts() {
    Map<String, Long> ops = new java.util.HashMap<>();
    byOperation.forEach((k, v) -> ops.put(k, v.sum()));
    return new Counts(statements.sum(), commits.sum(), rollbacks.sum(), ops);
  }

  /**
   * Counts this thread's statements under the first word of {@code what} until {@link #leave};
   * returns the operation to restore.
   */
  static String enter(String what) {
    String previous = OPERATION.get();
    int space = what.indexOf(' ');
    OPERATION.set(space < 0 ? what : what.substring(0, space));
    return previous;
  }

  /** Restores the operation {@link #enter} returned. */
  static void leave(String previous) {
    if (previous == null) {
      OPERATION.remove();
    } else {
      OPERATION.set(previous);
    }
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
      String op = OPERATION.get();
      byOperation.computeIfAbsent(op == null ? OTHER : op, k -> new LongAdder()).increment();
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
