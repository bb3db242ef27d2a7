package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.port.TenantLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One in-memory {@link TokenBucket} per tenant, so per dispatcher instance (N dispatchers admit N
 * times the rate); used only when the store does not keep the buckets farm-wide. Full buckets are
 * forgotten.
 */
final class SubmitRateLimiter {
  private static final int SWEEP_AT = 10_000;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final TenantLimits rules;
  private final LongSupplier nanos;

  SubmitRateLimiter(TenantLimits rules, LongSupplier nanos) {
    this.rules = rules;
    this.nanos = nanos;
  }

  /** 0 when {@code jobs} may be submitted now, else the seconds to wait. */
  long take(String tenant, int jobs) {
    long now = nanos.getAsLong();
    if (buckets.size() > SWEEP_AT) {
      buckets.entrySet().removeIf(e -> e.getValue().full(now));
    }
    TokenBucket b = buckets.computeIfAbsent(tenant, t -> new TokenBucket(rules, now));
    synchronized (b) {
      return b.take(jobs, now);
    }
  }
}
