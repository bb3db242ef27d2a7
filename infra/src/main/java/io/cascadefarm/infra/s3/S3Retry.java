package io.cascadefarm.infra.s3;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an S3 call, retrying transient failures (connection refused, 5xx, SlowDown) with doubling
 * backoff. Permanent failures and the last transient one become an {@link ObjectStoreException}.
 */
final class S3Retry {
  private static final Logger LOG = LoggerFactory.getLogger(S3Retry.class);

  private final int attempts;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Duration budget;

  S3Retry(int attempts, Duration firstDelay, Duration maxDelay) {
    this(attempts, firstDelay, maxDelay, Duration.ofDays(1));
  }

  /**
   * @param budget no retry starts after this much time since the first try, so one call (each try
   *     bounded by the client's timeouts) ends within about budget + one call timeout
   */
  S3Retry(int attempts, Duration firstDelay, Duration maxDelay, Duration budget) {
    this.budget = budget;
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    this.attempts = attempts;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
  }

  /** Retries within {@link S3ObjectStore#RETRY_BUDGET}. */
  static S3Retry defaults() {
    return new S3Retry(
        6, Duration.ofMillis(200), Duration.ofSeconds(3), S3ObjectStore.RETRY_BUDGET);
  }

  <T> T run(String what, S3Call<T> call) {
    long delay = firstDelay.toMillis();
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (Exception e) {
        boolean retry = S3Errors.isTransient(e);
        long spent = (System.nanoTime() - start) / 1_000_000;
        if (!retry || attempt >= attempts || spent + delay > budget.toMillis()) {
          throw new ObjectStoreException(what + " failed: " + e, e, retry);
        }
        LOG.warn(
            "{} failed (attempt {}/{}), retrying in {} ms: {}",
            what,
            attempt,
            attempts,
            delay,
            e.toString());
        sleep(delay);
        delay = Math.min(delay * 2, maxDelay.toMillis());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException("interrupted while waiting to retry", e, true);
    }
  }
}
