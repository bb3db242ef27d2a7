package io.cascadefarm.db;

import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.common.port.TenantLimits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The tenant-limit check of one submit transaction, on the tenant's {@code tenant_limits} row that
 * {@link TenantLimitTable} has locked: first the quota (unfinished + n must not pass the maximum),
 * then the bucket (refilled by the time since {@code refilled_at} on the application clock, then
 * taken from). A refusal throws {@link TenantLimitException}, which rolls the transaction back; an
 * admitted submit writes the bucket and inserts its jobs, whose trigger raises {@code unfinished}
 * in the same transaction, so the next submit of the tenant, from any dispatcher, sees them.
 *
 * <p>Clock skew: a dispatcher whose clock is behind the stored {@code refilled_at} refills nothing
 * and does not move {@code refilled_at} back, so skew never adds tokens; a clock ahead by d lets
 * the bucket refill at most d x rate early (once, at most the burst).
 *
 * <p>No deadlock: a submit takes the tenant's row lock before any other lock (idempotency key, new
 * job rows, which nobody else can hold). Every other writer of {@code tenant_limits} is the
 * statement trigger of a job update or delete, which runs after that statement locked its job rows
 * and then locks tenant rows in tenant order (one such statement per transaction, and nothing after
 * it waits for a job row). A submit therefore never waits for a lock held by a transaction that
 * waits for the submit's own locks. (A store without limits, e.g. an older dispatcher during a
 * rolling upgrade, takes the row lock only in its insert trigger, after the idempotency key; should
 * it deadlock with a limited submit of the same tenant and key, PostgreSQL aborts one of them and
 * {@link Transactions} runs it again.)
 */
final class TenantLimitGate {
  private final String tenant;
  private final TenantLimits limits;
  private final long unfinished;
  private final double tokens;
  private final Instant refilledAt;

  TenantLimitGate(
      String tenant, TenantLimits limits, long unfinished, double tokens, Instant refilledAt) {
    this.tenant = tenant;
    this.limits = limits;
    this.unfinished = unfinished;
    this.tokens = tokens;
    this.refilledAt = refilledAt;
  }

  /** Admits {@code jobs} more jobs at {@code now} (taking them from the bucket) or throws. */
  void admit(Connection c, int jobs, Instant now) throws SQLException {
    if (unfinished + jobs > limits.maxUnfinishedJobs()) {
      throw TenantLimitException.queuedJobs(tenant, jobs, unfinished, limits);
    }
    double available = tokens;
    Instant at = now;
    if (refilledAt != null) {
      available = limits.refill(tokens, Duration.between(refilledAt, now).toNanos());
      at = now.isAfter(refilledAt) ? now : refilledAt;
    }
    long wait = limits.waitSeconds(available, jobs);
    if (wait > 0) {
      throw TenantLimitException.submitRate(tenant, jobs, wait, limits);
    }
    TenantLimitTable.saveBucket(c, tenant, available - jobs, at);
  }
}
