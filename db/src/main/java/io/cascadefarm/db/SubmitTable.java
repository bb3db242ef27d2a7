package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.Submission;
import io.cascadefarm.common.port.TenantLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Inserting jobs: the {@code jobs} rows with their outbox rows, idempotency keys and batches, each
 * submit in one transaction. With {@code limits} set, the tenant's {@code tenant_limits} row is
 * locked and checked first ({@link TenantLimitTable#gate}).
 */
final class SubmitTable {
  private final Transactions tx;
  private final Clock clock;
  private final TenantLimits limits; // null: submits are not limited

  SubmitTable(Transactions tx, Clock clock, TenantLimits limits) {
    this.tx = tx;
    this.clock = clock;
    this.limits = limits;
  }

  Submission submit(NewJob job, String idempotencyKey, String requestHash) {
    job.requireValidFor(job.tenant());
    if (idempotencyKey != null && requestHash == null) {
      throw new IllegalArgumentException("requestHash is required with an idempotency key");
    }
    Instant now = Sql.now(clock);
    return tx.inTx(
        "submit job " + job.id(),
        c -> {
          TenantLimitGate gate = TenantLimitTable.gate(c, job.tenant(), limits);
          if (idempotencyKey != null) {
            Optional<Submission> replay = claimKey(c, job, idempotencyKey, requestHash, now);
            if (replay.isPresent()) {
              return replay.get();
            }
          }
          if (gate != null) {
            gate.admit(c, 1, now);
          }
          return new Submission(insertJob(c, job, now), false);
        });
  }

  private static Optional<Submission> claimKey(
      Connection c, NewJob job, String key, String hash, Instant now) throws SQLException {
    String insert =
        "INSERT INTO idempotency_keys (tenant, key, request_hash, job_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, key) DO NOTHING";
    if (Sql.update(c, insert, job.tenant(), key, hash, job.id(), now) == 1) {
      return Optional.empty();
    }
    String select =
        "SELECT request_hash, job_id FROM idempotency_keys WHERE tenant = ? AND key = ?";
    try (PreparedStatement ps = Sql.prepare(c, select, job.tenant(), key);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("idempotency key vanished", "40001"); // deleted meanwhile: re-run
      }
      if (!hash.equals(rs.getString("request_hash"))) {
        throw new IdempotencyConflictException(key);
      }
      UUID earlier = rs.getObject("job_id", UUID.class);
      Job found = JobReads.findJob(c, earlier, job.tenant()).orElseThrow();
      return Optional.of(new Submission(found, true));
    }
  }

  private static Job insertJob(Connection c, NewJob job, Instant now) throws SQLException {
    String sql =
        "WITH ins AS (INSERT INTO jobs (id, tenant, status, params, batch_key, max_attempts,"
            + " not_before, created_at, updated_at) VALUES (?, ?, "
            + Sql.QUEUED
            + ", ?::jsonb, ?, ?, ?, ?, ?) RETURNING *),"
            + " queued AS (INSERT INTO outbox (job_id, available_at) SELECT id, not_before FROM ins)"
            + " SELECT "
            + Sql.JOB_COLUMNS
            + " FROM ins";
    try {
      return Sql.one(
              c,
              sql,
              JobRows::job,
              job.id(),
              job.tenant(),
              JsonColumns.write(job.params()),
              job.params().batchKey(),
              job.maxAttempts(),
              now,
              now,
              now)
          .orElseThrow();
    } catch (SQLException e) {
      throw Sql.duplicateOr(e, "job id " + job.id());
    }
  }

  BatchSummary submitBatch(NewBatch batch) {
    batch.jobs().forEach(j -> j.requireValidFor(batch.tenant()));
    Instant now = Sql.now(clock);
    int n = batch.jobs().size();
    tx.inTx(
        "submit batch " + batch.id(),
        c -> {
          TenantLimitGate gate = TenantLimitTable.gate(c, batch.tenant(), limits);
          if (gate != null) {
            gate.admit(c, n, now);
          }
          String insert =
              "INSERT INTO batches (id, tenant, job_count, metadata, created_at)"
                  + " VALUES (?, ?, ?, ?::jsonb, ?)";
          try {
            Sql.update(
                c, insert, batch.id(), batch.tenant(), n, JsonColumns.write(batch.metadata()), now);
            copyJobs(c, batch, now);
          } catch (SQLException e) {
            throw Sql.duplicateOr(e, "batch " + batch.id() + " or one of its job ids");
          }
          copyOutbox(c, batch, now);
          return null;
        });
    Map<JobStatus, Integer> counts = Sql.zeroCounts();
    counts.put(JobStatus.QUEUED, n);
    return new BatchSummary(batch.id(), batch.tenant(), n, counts, batch.metadata(), now);
  }

  private static void copyJobs(Connection c, NewBatch batch, Instant now) throws SQLException {
    String sql =
        "COPY jobs (id, batch_id, tenant, status, params, batch_key, max_attempts, not_before,"
            + " created_at, updated_at) FROM STDIN (FORMAT csv)";
    CsvCopy csv = new CsvCopy(c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
    String at = now.toString();
    try {
      for (NewJob j : batch.jobs()) {
        csv.raw(j.id()).raw(batch.id()).text(j.tenant()).raw(JobStatus.QUEUED.wire());
        csv.text(JsonColumns.write(j.params())).text(j.params().batchKey()).raw(j.maxAttempts());
        csv.raw(at).raw(at).raw(at).endRow();
      }
      csv.finish();
    } catch (SQLException | RuntimeException e) {
      csv.abort(e);
      throw e;
    }
  }

  private static void copyOutbox(Connection c, NewBatch batch, Instant now) throws SQLException {
    String sql = "COPY outbox (job_id, available_at) FROM STDIN (FORMAT csv)";
    CsvCopy csv = new CsvCopy(c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
    String at = now.toString();
    try {
      for (NewJob j : batch.jobs()) {
        csv.raw(j.id()).raw(at).endRow();
      }
      csv.finish();
    } catch (SQLException | RuntimeException e) {
      csv.abort(e);
      throw e;
    }
  }
}
