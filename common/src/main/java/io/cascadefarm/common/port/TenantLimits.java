package io.cascadefarm.common.port;

/**
 * The per-tenant submit limits: at most {@code maxUnfinishedJobs} queued or running jobs, and a
 * token bucket counted in jobs that refills at {@code submitRate} per second up to {@code
 * submitBurst}. The bucket arithmetic lives here so the in-memory bucket and the one a store keeps
 * follow the same rules: a take of n jobs succeeds while the bucket holds at least min(n, burst)
 * tokens and may leave it in debt (a batch bigger than the burst passes on a full bucket; the next
 * submits wait until the debt is paid back), and a clock that did not move forward refills nothing.
 */
public record TenantLimits(long maxUnfinishedJobs, double submitRate, long submitBurst) {
  public TenantLimits {
    if (maxUnfinishedJobs < 1) {
      throw new IllegalArgumentException(
          "maxUnfinishedJobs must be >= 1, got " + maxUnfinishedJobs);
    }
    if (!(submitRate > 0) || Double.isInfinite(submitRate)) {
      throw new IllegalArgumentException("submitRate must be a positive number, got " + submitRate);
    }
    if (submitBurst < 1) {
      throw new IllegalArgumentException("submitBurst must be >= 1, got " + submitBurst);
    }
  }

  /**
   * The tokens after {@code elapsedNanos} of refilling, at most the burst; an elapsed time of zero
   * or less (clock skew between hosts, a clock stepped back) adds nothing.
   */
  public double refill(double tokens, long elapsedNanos) {
    if (elapsedNanos <= 0) {
      return tokens;
    }
    return Math.min(submitBurst, tokens + elapsedNanos / 1e9 * submitRate);
  }

  /**
   * 0 when {@code jobs} may be taken from {@code tokens}, else the whole seconds to wait (>= 1).
   */
  public long waitSeconds(double tokens, int jobs) {
    double need = Math.min(jobs, submitBurst);
    if (tokens >= need) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((need - tokens) / submitRate));
  }
}
