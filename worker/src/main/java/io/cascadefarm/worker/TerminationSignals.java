package io.cascadefarm.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a callback instead of an immediate JVM shutdown, so the main thread
 * can drain and exit with code 0. Falls back to a shutdown hook where signals cannot be handled
 * (the exit code is then the signal's, e.g. 143).
 */
final class TerminationSignals {
  private static final Logger LOG = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /**
   * Calls {@code action} on SIGTERM/SIGINT. In the shutdown-hook fallback the hook also waits (at
   * most {@code maxWaitMillis}) for {@code drained}, since the JVM halts once its hooks return.
   */
  static void onTerminate(Runnable action, CountDownLatch drained, long maxWaitMillis) {
    try {
      Signal.handle(new Signal("TERM"), s -> action.run());
      Signal.handle(new Signal("INT"), s -> action.run());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("cannot handle signals ({}); using a shutdown hook", e.toString());
      Runnable hook =
          () -> {
            action.run();
            try {
              drained.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          };
      Runtime.getRuntime().addShutdownHook(new Thread(hook, "farm-worker-terminate"));
    }
  }
}
