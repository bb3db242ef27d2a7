package io.cascadefarm.common.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Read-only views over many jobs for the dashboard: the queue per tenant (depth by lane, recent
 * throughput). Batches are listed by {@link JobListing#batches}.
 */
public interface FarmInsights {

  /**
   * The queue of {@code tenant} (null: of every tenant, one row each): jobs waiting for their first
   * attempt, jobs waiting for a retry, running jobs, and the jobs that finished in the {@code
   * window} before {@code now}.
   */
  List<TenantQueue> queues(String tenant, Instant now, Duration window);

  /** One tenant's queue. */
  record TenantQueue(
      String tenant,
      long queuedNew,
      long queuedRetry,
      long running,
      long succeededInWindow,
      long failedInWindow) {}
}
