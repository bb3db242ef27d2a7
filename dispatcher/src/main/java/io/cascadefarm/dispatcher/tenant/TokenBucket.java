package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.port.TenantLimits;

/**
 * One tenant's in-memory submit bucket, counted in jobs, with the arithmetic of {@link
 * TenantLimits} (the same rules as the farm-wide bucket in the store): a take of n jobs succeeds
 * while the bucket holds at least min(n, burst) tokens and may leave it in debt, so a batch bigger
 * than the burst is admitted once the bucket is full and the next submits wait for the debt to be
 * paid back. Not thread-safe; {@link SubmitRateLimiter} synchronizes.
 */
final class TokenBucket {
  private final TenantLimits rules;
  private double tokens;
  private long lastNanos;

  TokenBucket(TenantLimits rules, long nowNanos) {
    this.rules = rules;
    this.tokens = rules.submitBurst();
    this.lastNanos = nowNanos;
  }

  /** Takes {@code jobs} tokens and returns 0, or returns the seconds to wait (at least 1). */
  long take(int jobs, long nowNanos) {
    refill(nowNanos);
    long wait = rules.waitSeconds(tokens, jobs);
    if (wait == 0) {
      tokens -= jobs;
    }
    return wait;
  }

  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= rules.submitBurst();
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = rules.refill(tokens, elapsed);
      lastNanos = nowNanos;
    }
  }
}
