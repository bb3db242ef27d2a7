package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.BatchSummary;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads of {@code jobs}, {@code batches} and {@code job_transitions}. */
final class JobReads {
  private final Transactions tx;

  JobReads(Transactions tx) {
    this.tx = tx;
  }

  /** A job by id, of {@code tenant} (null: any tenant). */
  Optional<Job> find(UUID jobId, String tenant) {
    return tx.inTx("find job " + jobId, c -> findJob(c, jobId, tenant));
  }

  static Optional<Job> findJob(Connection c, UUID id, String tenant) throws SQLException {
    String sql = "SELECT " + Sql.JOB_COLUMNS + " FROM jobs WHERE id = ?";
    if (tenant == null) {
      return Sql.one(c, sql, JobRows::job, id);
    }
    return Sql.one(c, sql + " AND tenant = ?", JobRows::job, id, tenant);
  }

  Optional<BatchSummary> batch(UUID batchId, String tenant) {
    String sql =
        "SELECT id, tenant, job_count, metadata, created_at FROM batches"
            + " WHERE id = ? AND tenant = ?";
    return tx.inTx(
        "read batch " + batchId,
        c -> {
          Optional<BatchSummary> head =
              Sql.one(
                  c,
                  sql,
                  rs -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metadata =
                        JsonColumns.read(rs.getString("metadata"), Map.class);
                    return new BatchSummary(
                        batchId,
                        tenant,
                        rs.getInt("job_count"),
                        Map.of(),
                        metadata,
                        JobRows.instant(rs, "created_at"));
                  },
                  batchId,
                  tenant);
          if (head.isEmpty()) {
            return head;
          }
          BatchSummary b = head.get();
          return Optional.of(
              new BatchSummary(
                  b.id(),
                  b.tenant(),
                  b.jobCount(),
                  batchCounts(c, batchId),
                  b.metadata(),
                  b.createdAt()));
        });
  }

  private static Map<JobStatus, Integer> batchCounts(Connection c, UUID batchId)
      throws SQLException {
    Map<JobStatus, Integer> counts = Sql.zeroCounts();
    String sql = "SELECT status, count(*) AS n FROM jobs WHERE batch_id = ? GROUP BY status";
    for (var e :
        Sql.list(
            c,
            sql,
            rs -> Map.entry(JobStatus.fromWire(rs.getString("status")), rs.getInt("n")),
            batchId)) {
      counts.put(e.getKey(), e.getValue());
    }
    return counts;
  }

  List<Job> listBatchJobs(UUID batchId, String tenant, JobStatus status, int limit, UUID after) {
    Sql.requireLimit(limit);
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + Sql.JOB_COLUMNS + " FROM jobs WHERE batch_id = ? AND tenant = ?");
    List<Object> params = new ArrayList<>(List.of(batchId, tenant));
    if (status != null) {
      sql.append(" AND status = ?");
      params.add(status.wire());
    }
    if (after != null) {
      sql.append(" AND id > ?");
      params.add(after);
    }
    sql.append(" ORDER BY id LIMIT ?");
    params.add(limit);
    return tx.inTx(
        "list batch " + batchId, c -> Sql.list(c, sql.toString(), JobRows::job, params.toArray()));
  }

  Optional<JobStatus> status(UUID jobId) {
    return tx.inTx(
        "read status of " + jobId,
        c ->
            Sql.one(
                c,
                "SELECT status FROM jobs WHERE id = ?",
                rs -> JobStatus.fromWire(rs.getString(1)),
                jobId));
  }

  List<TransitionRecord> history(UUID jobId) {
    String sql =
        "SELECT id AS job_id, NULL AS event, NULL AS from_status, "
            + Sql.QUEUED
            + " AS to_status, created_at AS at, NULL AS worker, 'submitted' AS reason, 0 AS seq"
            + " FROM jobs WHERE id = ? UNION ALL"
            + " SELECT job_id, event, from_status, to_status, at, worker, reason, id AS seq"
            + " FROM job_transitions WHERE job_id = ? ORDER BY seq";
    return tx.inTx(
        "read history of " + jobId, c -> Sql.list(c, sql, JobRows::transition, jobId, jobId));
  }
}
