package io.cascadefarm.db;

import io.cascadefarm.common.port.FarmInsights;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The dashboard's reads over many jobs ({@link FarmInsights}). The queue counts scan the unfinished
 * jobs, and the recent throughput reads {@code jobs_results_stored_idx} (succeeded jobs by finish
 * time), so the API caches a queue answer for a few seconds.
 */
public final class InsightQueries implements FarmInsights {
  private final Transactions tx;

  public InsightQueries(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
  }

  @Override
  public List<TenantQueue> queues(String tenant, Instant now, Duration window) {
    Instant since = now.minus(window).truncatedTo(ChronoUnit.MICROS);
    String where = tenant == null ? "" : " AND tenant = ?";
    String unfinished =
        "SELECT tenant,"
            + " count(*) FILTER (WHERE status = 'queued' AND attempts = 0) AS queued_new,"
            + " count(*) FILTER (WHERE status = 'queued' AND attempts > 0) AS queued_retry,"
            + " count(*) FILTER (WHERE status = 'running') AS running"
            + " FROM jobs WHERE status IN ('queued', 'running')"
            + where
            + " GROUP BY tenant";
    // the partial index jobs_results_stored_idx holds succeeded jobs by finished_at
    String succeeded =
        "SELECT tenant, count(*) AS n FROM jobs WHERE status = 'succeeded'"
            + " AND result IS NOT NULL AND NOT jsonb_exists(result, 'expired_at')"
            + " AND finished_at >= ?"
            + where
            + " GROUP BY tenant";
    String failed =
        "SELECT tenant, count(*) AS n FROM jobs WHERE status = 'failed' AND finished_at >= ?"
            + where
            + " GROUP BY tenant";
    return tx.inTx(
        "queue overview",
        c -> {
          Map<String, long[]> rows = new java.util.TreeMap<>();
          Object[] byTenant = tenant == null ? new Object[0] : new Object[] {tenant};
          try (PreparedStatement ps = WorkerTable.prepare(c, unfinished, byTenant);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long[] r = rows.computeIfAbsent(rs.getString("tenant"), k -> new long[5]);
              r[0] = rs.getLong("queued_new");
              r[1] = rs.getLong("queued_retry");
              r[2] = rs.getLong("running");
            }
          }
          Object[] windowed = tenant == null ? new Object[] {since} : new Object[] {since, tenant};
          int column = 3;
          for (String sql : List.of(succeeded, failed)) {
            try (PreparedStatement ps = WorkerTable.prepare(c, sql, windowed);
                ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.computeIfAbsent(rs.getString("tenant"), k -> new long[5])[column] =
                    rs.getLong("n");
              }
            }
            column++;
          }
          if (tenant != null) {
            rows.computeIfAbsent(tenant, k -> new long[5]);
          }
          List<TenantQueue> out = new ArrayList<>();
          rows.forEach((t, r) -> out.add(new TenantQueue(t, r[0], r[1], r[2], r[3], r[4])));
          return out;
        });
  }
}
