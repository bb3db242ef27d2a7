package io.cascadefarm.dispatcher.tenant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link TokenBucket} per tenant (per dispatcher instance); full buckets are forgotten. */
final class SubmitRateLimiter {
  private static final int SWEEP_AT = 10_000;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final double rate;
  private final long burst;
  private final LongSupplier nanos;

  SubmitRateLimiter(double rate, long burst, LongSupplier nanos) {
    this.rate = rate;
    this.burst = burst;
    this.nanos = nanos;
  }

  /** 0 when {@code jobs} may be submitted now, else the seconds to wait. */
  long take(String tenant, int jobs) {
    long now = nanos.getAsLong();
    if (buckets.size() > SWEEP_AT) {
      buckets.entrySet().removeIf(e -> e.getValue().full(now));
    }
    TokenBucket b = buckets.computeIfAbsent(tenant, t -> new TokenBucket(rate, burst, now));
    synchronized (b) {
      return b.take(jobs, now);
    }
  }
}
