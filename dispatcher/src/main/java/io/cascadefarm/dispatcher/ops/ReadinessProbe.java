package io.cascadefarm.dispatcher.ops;

/**
 * One dependency /readyz checks; {@link #check} throws when it is not usable. A dependency the API
 * cannot serve without ({@link #required}, PostgreSQL) makes the dispatcher unready; one it
 * degrades gracefully without (Kafka: jobs are accepted into the outbox and published later) is
 * only reported.
 */
public interface ReadinessProbe {
  String name();

  void check() throws Exception;

  /** Whether the dispatcher is unready while this dependency is down (default true). */
  default boolean required() {
    return true;
  }

  static ReadinessProbe of(String name, ThrowingRunnable check) {
    return new ReadinessProbe() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check() throws Exception {
        check.run();
      }
    };
  }

  /** A check that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
