package io.cascadefarm.common.port;

/**
 * How much of the queue a tenant holds, for the per-tenant queued-jobs quota (read by the in-memory
 * quota; a {@link LimitedSubmits} store checks the quota itself).
 */
@FunctionalInterface
public interface TenantUsage {

  /** The tenant's jobs that are not finished yet (queued or running). */
  long unfinishedJobs(String tenant);

  /** No usage is ever counted (tests and in-memory stores without quotas). */
  static TenantUsage none() {
    return tenant -> 0;
  }
}
