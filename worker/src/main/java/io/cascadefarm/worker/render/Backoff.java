package io.cascadefarm.worker.render;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 1) waits a uniformly random time in
 * {@code [0, min(max, base * 2^(n-1))]}.
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max, DoubleSupplier random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  public static Backoff jittered(Duration base, Duration max) {
    return new Backoff(base, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The upper bound for attempt {@code n}. */
  public Duration cap(int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 30));
    double millis = Math.min((double) max.toMillis(), base.toMillis() * Math.pow(2, shift));
    return Duration.ofMillis((long) millis);
  }

  public Duration delay(int attempt) {
    return Duration.ofMillis((long) (random.getAsDouble() * cap(attempt).toMillis()));
  }
}
