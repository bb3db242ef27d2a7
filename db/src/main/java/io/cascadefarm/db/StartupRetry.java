package io.cascadefarm.db;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a start-up step while the database is unreachable (connection refused, starting up),
 * backing off from 250 ms to 5 s, until it succeeds or {@code maxWait} passed. Other errors (bad
 * credentials, a broken migration) fail at once.
 */
final class StartupRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);

  private StartupRetry() {}

  static <T> T run(String what, Duration maxWait, Supplier<T> step) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    long delay = 250;
    while (true) {
      try {
        return step.get();
      } catch (RuntimeException e) {
        if (!SqlErrors.isUnavailable(e) || System.nanoTime() + delay * 1_000_000 > deadline) {
          if (SqlErrors.isUnavailable(e)) {
            throw new StoreUnavailableException(
                what + ": database still unreachable after " + maxWait, e);
          }
          throw e;
        }
        LOG.warn("{}: database unreachable, retrying in {} ms ({})", what, delay, e.toString());
        sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for the database", e);
    }
  }
}
