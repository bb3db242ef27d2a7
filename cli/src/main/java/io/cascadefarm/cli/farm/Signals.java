package io.cascadefarm.cli.farm;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a latch the main thread waits on, so that the process
 * stops in order (workers drain, the dispatcher closes, services stop) and exits with code 0. Where
 * signals cannot be handled, a shutdown hook releases the latch and waits for the stop to finish.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Returns a latch released by the first SIGTERM or SIGINT. {@code stopped} is awaited by the
   * fallback shutdown hook so the JVM does not halt before the stop sequence completes.
   */
  static CountDownLatch termination(CountDownLatch stopped) {
    CountDownLatch latch = new CountDownLatch(1);
    try {
      Signal.handle(new Signal("TERM"), s -> latch.countDown());
      Signal.handle(new Signal("INT"), s -> latch.countDown());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("cannot handle signals ({}); using a shutdown hook", e.toString());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    latch.countDown();
                    awaitQuietly(stopped);
                  },
                  "farm-stop"));
    }
    return latch;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
