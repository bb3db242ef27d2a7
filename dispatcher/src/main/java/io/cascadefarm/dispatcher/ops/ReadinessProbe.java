package io.cascadefarm.dispatcher.ops;

/** One dependency /readyz checks; {@link #check} throws when it is not usable. */
public interface ReadinessProbe {
  String name();

  void check() throws Exception;

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
