package io.cascadefarm.dispatcher.tenant;

/**
 * A token bucket counted in jobs: refills at {@code rate} per second up to {@code burst}. A take of
 * n jobs succeeds while the bucket holds at least min(n, burst) tokens and may leave it in debt, so
 * a batch bigger than the burst is admitted once the bucket is full and the next submits wait for
 * the debt to be paid back. Not thread-safe; {@link SubmitRateLimiter} synchronizes.
 */
final class TokenBucket {
  private final double rate;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double rate, long burst, long nowNanos) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code jobs} tokens and returns 0, or returns the seconds to wait (at least 1). */
  long take(int jobs, long nowNanos) {
    refill(nowNanos);
    double need = Math.min(jobs, burst);
    if (tokens >= need) {
      tokens -= jobs;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((need - tokens) / rate));
  }

  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed / 1e9 * rate);
      lastNanos = nowNanos;
    }
  }
}
