package io.cascadefarm.dispatcher.tenant;

import io.cascadefarm.common.port.TenantUsage;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The in-memory per-tenant cap on unfinished jobs, used only when the store does not enforce the
 * cap itself ({@link io.cascadefarm.common.port.LimitedSubmits}). The count is read from the store
 * at most once per {@link #REFRESH_NANOS} per tenant and raised locally by every accepted submit in
 * between. Several dispatchers each see their own accepts plus the stored count, so the cap may be
 * overshot by what the others accepted within that second.
 */
final class QueuedJobsQuota {
  static final long REFRESH_NANOS = 1_000_000_000L;
  private final Map<String, Count> counts = new ConcurrentHashMap<>();
  private final TenantUsage usage;
  private final long max;
  private final LongSupplier nanos;

  private static final class Count {
    final AtomicLong jobs = new AtomicLong();
    volatile long readAt;
  }

  QueuedJobsQuota(TenantUsage usage, long max, LongSupplier nanos) {
    this.usage = usage;
    this.max = max;
    this.nanos = nanos;
  }

  /** The tenant's unfinished jobs as last known (refreshed when older than a second). */
  long current(String tenant) {
    long now = nanos.getAsLong();
    Count c = counts.computeIfAbsent(tenant, t -> new Count());
    if (c.readAt == 0 || now - c.readAt >= REFRESH_NANOS) {
      long stored = StoreGuard.call("count queued jobs", () -> usage.unfinishedJobs(tenant));
      c.jobs.set(stored);
      c.readAt = now == 0 ? 1 : now;
    }
    return c.jobs.get();
  }

  long max() {
    return max;
  }

  void accepted(String tenant, int jobs) {
    Count c = counts.get(tenant);
    if (c != null) {
      c.jobs.addAndGet(jobs);
    }
  }
}
