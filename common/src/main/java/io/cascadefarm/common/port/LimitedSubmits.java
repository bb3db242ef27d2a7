package io.cascadefarm.common.port;

/**
 * A store that enforces {@link TenantLimits} itself, in the transaction that inserts the jobs, so
 * that every process sharing the store shares the limits (several dispatchers on one database).
 */
public interface LimitedSubmits {

  /**
   * This store with {@link JobStore#submit} and {@link JobStore#submitBatch} checking the tenant's
   * unfinished jobs and then taking the jobs from its submit bucket before inserting; a refusal is
   * a {@link TenantLimitException} and stores nothing. A replayed idempotent submit is neither
   * counted nor refused. Every other method behaves as on this store.
   */
  JobStore limitedBy(TenantLimits limits);
}
