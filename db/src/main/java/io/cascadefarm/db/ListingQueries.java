package io.cascadefarm.db;

import static io.cascadefarm.db.SqlCalls.prepare;
import static io.cascadefarm.db.SqlCalls.update;

import io.cascadefarm.common.contract.BatchEnvelope;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.JobListing;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The PostgreSQL {@link JobListing}: keyset pages over {@code jobs (tenant, created_at, id)} and
 * {@code batches (tenant, created_at, id)}, label filters on the GIN indexes of {@code
 * params->'labels'} and {@code batch_options.labels}, batch status from {@code batch_counts}, and
 * the queue figures from the partial index of queued jobs per lane (V50).
 */
public final class ListingQueries implements JobListing {
  private static final String JOB_COLUMNS =
      "id, batch_id, tenant, status, params, attempts, max_attempts, epoch, progress, result,"
          + " error, worker, lease_expires_at, created_at, updated_at, started_at, finished_at";
  private static final String LANE = "COALESCE(params ->> 'priority', 'normal')";

  private final Transactions tx;

  public ListingQueries(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
  }

  @Override
  public List<Job> jobs(JobFilter f, Cursor after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + JOB_COLUMNS + " FROM jobs WHERE tenant = ?");
    List<Object> params = new ArrayList<>(List.of(f.tenant()));
    if (f.batchId() != null) {
      // a batch's jobs share created_at: (batch_id, id) is their order, and the index's
      sql.append(" AND batch_id = ?");
      params.add(f.batchId());
    }
    if (f.status() != null) {
      sql.append(" AND status = ?");
      params.add(f.status().wire());
    }
    if (!f.labels().isEmpty()) {
      sql.append(" AND params -> 'labels' @> ?::jsonb AND params -> 'labels' <> '{}'::jsonb");
      params.add(Json.toJson(f.labels()));
    }
    if (f.createdFrom() != null) {
      sql.append(" AND created_at >= ?");
      params.add(f.createdFrom());
    }
    if (f.createdTo() != null) {
      sql.append(" AND created_at < ?");
      params.add(f.createdTo());
    }
    if (after != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      params.add(after.createdAt());
      params.add(after.id());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    params.add(limit);
    return tx.inTx(
        "list jobs",
        c -> {
          List<Job> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql.toString(), params.toArray());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(JobRows.job(rs));
            }
          }
          return out;
        });
  }

  private static final String STATUS_EXPR =
      "CASE WHEN c.queued + c.running > 0 THEN"
          + " CASE WHEN c.running = 0 AND c.succeeded + c.failed + c.cancelled = 0"
          + " THEN 'queued' ELSE 'running' END"
          + " WHEN c.failed > 0 THEN 'failed' WHEN c.cancelled > 0 THEN 'cancelled'"
          + " ELSE 'succeeded' END";

  @Override
  public List<BatchRow> batches(BatchFilter f, Cursor after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT b.id, b.tenant, b.job_count, b.metadata, b.created_at,"
                + " c.queued, c.running, c.succeeded, c.failed, c.cancelled,"
                + " o.labels, o.priority, o.webhook_url, o.webhook_events"
                + " FROM batches b"
                + " LEFT JOIN batch_counts c ON c.batch_id = b.id"
                + " LEFT JOIN batch_options o ON o.batch_id = b.id"
                + " WHERE b.tenant = ?");
    List<Object> params = new ArrayList<>(List.of(f.tenant()));
    if (f.status() != null) {
      sql.append(" AND (").append(STATUS_EXPR).append(") = ?");
      params.add(f.status().wire());
    }
    if (!f.labels().isEmpty()) {
      sql.append(" AND o.labels @> ?::jsonb");
      params.add(Json.toJson(f.labels()));
    }
    if (after != null) {
      sql.append(" AND (b.created_at, b.id) < (?, ?)");
      params.add(after.createdAt());
      params.add(after.id());
    }
    sql.append(" ORDER BY b.created_at DESC, b.id DESC LIMIT ?");
    params.add(limit);
    return tx.inTx(
        "list batches",
        c -> {
          List<BatchRow> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql.toString(), params.toArray());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(batchRow(rs));
            }
          }
          return out;
        });
  }

  @SuppressWarnings("unchecked")
  private static BatchRow batchRow(ResultSet rs) throws SQLException {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, rs.getInt(s.wire()));
    }
    Map<String, Object> metadata = JsonColumns.read(rs.getString("metadata"), Map.class);
    BatchSummary summary =
        new BatchSummary(
            rs.getObject("id", UUID.class),
            rs.getString("tenant"),
            rs.getInt("job_count"),
            counts,
            metadata,
            JobRows.instant(rs, "created_at"));
    return new BatchRow(summary, options(rs));
  }

  @SuppressWarnings("unchecked")
  private static BatchEnvelope options(ResultSet rs) throws SQLException {
    String labels = rs.getString("labels");
    if (labels == null) {
      return BatchEnvelope.NONE;
    }
    return new BatchEnvelope(
        rs.getString("priority"),
        JsonColumns.read(labels, Map.class),
        rs.getString("webhook_url"),
        JsonColumns.read(rs.getString("webhook_events"), List.class));
  }

  @Override
  public void saveBatchOptions(UUID batchId, String tenant, BatchEnvelope o, Instant now) {
    tx.inTx(
        "save batch options " + batchId,
        c ->
            update(
                c,
                "INSERT INTO batch_options (batch_id, tenant, labels, priority, webhook_url,"
                    + " webhook_events, created_at) VALUES (?, ?, ?::jsonb, ?, ?, ?::jsonb, ?)"
                    + " ON CONFLICT (batch_id) DO NOTHING",
                batchId,
                tenant,
                Json.toJson(o.labels()),
                o.priority(),
                o.webhookUrl(),
                Json.toJson(o.webhookUrl() == null ? List.of() : o.effectiveEvents()),
                now));
  }

  @Override
  public Optional<BatchEnvelope> batchOptions(UUID batchId, String tenant) {
    return tx.inTx(
        "read batch options " + batchId,
        c -> {
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT labels, priority, webhook_url, webhook_events FROM batch_options"
                          + " WHERE batch_id = ? AND tenant = ?",
                      batchId,
                      tenant);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(options(rs)) : Optional.<BatchEnvelope>empty();
          }
        });
  }

  @Override
  public long queuedAhead(UUID jobId, String priority, long lowAgingMillis, long cap) {
    String lane = priority == null ? "normal" : priority;
    UUID id = jobId;
    // each part counts rows of the partial index jobs_queued_lane_idx, at most cap
    String part = "(SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = 'queued' AND ";
    String end = " LIMIT ?) x)";
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ");
    switch (lane) {
      case "high" -> {
        sql.append(part).append(LANE).append(" = 'high' AND id < ?").append(end);
        params.addAll(List.of(id, cap));
      }
      case "low" -> {
        // high jobs, normal jobs submitted before this one's aged time, low jobs before it
        UUID aged = Uuid7.lowerBound(Uuid7.millis(id) + lowAgingMillis);
        sql.append(part).append(LANE).append(" = 'high'").append(end).append(" + ");
        sql.append(part).append(LANE).append(" = 'normal' AND id < ?").append(end).append(" + ");
        sql.append(part).append(LANE).append(" = 'low' AND id < ?").append(end);
        params.addAll(List.of(cap, aged, cap, id, cap));
      }
      default -> {
        // high jobs, normal jobs before it, low jobs whose aged time is before it
        UUID aged = Uuid7.lowerBound(Uuid7.millis(id) - lowAgingMillis);
        sql.append(part).append(LANE).append(" = 'high'").append(end).append(" + ");
        sql.append(part).append(LANE).append(" = 'normal' AND id < ?").append(end).append(" + ");
        sql.append(part).append(LANE).append(" = 'low' AND id < ?").append(end);
        params.addAll(List.of(cap, id, cap, aged, cap));
      }
    }
    return tx.inTx(
        "queue position of " + id,
        c -> {
          try (PreparedStatement ps = prepare(c, sql.toString(), params.toArray());
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Math.min(cap, rs.getLong(1));
          }
        });
  }

  @Override
  public long finishedSince(Instant since) {
    return tx.inTx(
        "recent throughput",
        c -> {
          // succeeded: the results index (V40) holds recently finished rows; failed are few
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT (SELECT count(*) FROM jobs WHERE status = 'succeeded'"
                          + " AND result IS NOT NULL AND NOT jsonb_exists(result, 'expired_at')"
                          + " AND finished_at >= ?)",
                      since);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** UUID version 7 helpers: the millisecond prefix of the farm's time-ordered ids. */
  static final class Uuid7 {
    private Uuid7() {}

    static long millis(UUID id) {
      return id.getMostSignificantBits() >>> 16;
    }

    /** The least UUIDv7 of millisecond {@code ms}: every id created at or after it is greater. */
    static UUID lowerBound(long ms) {
      long m = Math.max(0, ms);
      return new UUID((m << 16) | 0x7000L, 0x8000000000000000L);
    }
  }
}
