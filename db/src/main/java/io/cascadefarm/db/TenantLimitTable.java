package io.cascadefarm.db;

import io.cascadefarm.common.port.TenantLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code tenant_limits} table: per tenant its unfinished jobs (kept by triggers on {@code
 * jobs}, see V3) and its submit bucket. Limits are farm-wide: a limited submit locks the tenant's
 * row first in its transaction, checks and takes ({@link TenantLimitGate}), then inserts.
 */
final class TenantLimitTable {
  private final Transactions tx;

  TenantLimitTable(Transactions tx) {
    this.tx = tx;
  }

  /** The tenant's queued and running jobs, as the V3 triggers count them (0 if none ever). */
  long unfinishedJobs(String tenant) {
    return tx.inTx(
        "read unfinished jobs of " + tenant,
        c ->
            Sql.one(
                    c,
                    "SELECT unfinished FROM tenant_limits WHERE tenant = ?",
                    rs -> rs.getLong(1),
                    tenant)
                .orElse(0L));
  }

  /**
   * Locks the tenant's {@code tenant_limits} row (creating it) when {@code limits} is set, else
   * null. Called first in a submit transaction, before the idempotency key and the job rows, so
   * every submit of a tenant takes its locks in the order limits row, key, new rows, and nothing
   * that holds a job-row lock ever waits for a submit: no deadlock (see {@link TenantLimitGate}).
   */
  static TenantLimitGate gate(Connection c, String tenant, TenantLimits limits)
      throws SQLException {
    if (limits == null) {
      return null;
    }
    String lock =
        "SELECT unfinished, tokens, refilled_at FROM tenant_limits WHERE tenant = ? FOR UPDATE";
    for (int round = 0; ; round++) {
      Optional<TenantLimitGate> gate;
      try (PreparedStatement ps = Sql.prepare(c, lock, tenant);
          ResultSet rs = ps.executeQuery()) {
        gate = rs.next() ? Optional.of(read(rs, tenant, limits)) : Optional.empty();
      }
      if (gate.isPresent()) {
        return gate.get();
      }
      if (round > 0) {
        throw new SQLException("tenant_limits row of " + tenant + " vanished", "40001");
      }
      Sql.update(
          c,
          "INSERT INTO tenant_limits (tenant) VALUES (?) ON CONFLICT (tenant) DO NOTHING",
          tenant);
    }
  }

  private static TenantLimitGate read(ResultSet rs, String tenant, TenantLimits limits)
      throws SQLException {
    double tokens = rs.getDouble("tokens");
    boolean neverTaken = rs.wasNull();
    return new TenantLimitGate(
        tenant,
        limits,
        rs.getLong("unfinished"),
        neverTaken ? limits.submitBurst() : tokens,
        JobRows.instant(rs, "refilled_at"));
  }

  /** Writes the bucket a {@link TenantLimitGate} took from (the row is locked). */
  static void saveBucket(Connection c, String tenant, double tokens, Instant refilledAt)
      throws SQLException {
    Sql.update(
        c,
        "UPDATE tenant_limits SET tokens = ?, refilled_at = ? WHERE tenant = ?",
        tokens,
        refilledAt,
        tenant);
  }
}
