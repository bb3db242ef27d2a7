package io.cascadefarm.worker.render;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a storage or database call in place while S3 or PostgreSQL is briefly unavailable: waits
 * 200 ms, doubling up to 5 s, until the summed waits would pass the budget ({@code
 * farm.worker.storage-retry}), then rethrows the last error. {@link IllegalArgumentException} (bad
 * input) is never retried; {@code giveUp} ends the retries early (hard stop).
 */
public final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
  private static final Duration FIRST = Duration.ofMillis(200);
  private static final Duration LONGEST = Duration.ofSeconds(5);

  /** Waits between tries; tests replace it. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Duration budget;
  private final Sleeper sleeper;
  private final Runnable onRetry;
  private final BooleanSupplier giveUp;

  public Retrier(Duration budget, Sleeper sleeper, Runnable onRetry, BooleanSupplier giveUp) {
    this.budget = budget;
    this.sleeper = sleeper;
    this.onRetry = onRetry;
    this.giveUp = giveUp;
  }

  public <T> T call(String what, Supplier<T> op) {
    Duration waited = Duration.ZERO;
    Duration wait = FIRST;
    while (true) {
      try {
        return op.get();
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        if (waited.plus(wait).compareTo(budget) > 0 || giveUp.getAsBoolean()) {
          throw e;
        }
        LOG.warn("{} failed ({}), retrying in {} ms", what, e.toString(), wait.toMillis());
        onRetry.run();
        sleep(wait, e);
        waited = waited.plus(wait);
        wait = wait.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : wait.multipliedBy(2);
      }
    }
  }

  public void run(String what, Runnable op) {
    call(
        what,
        () -> {
          op.run();
          return null;
        });
  }

  private void sleep(Duration d, RuntimeException cause) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
