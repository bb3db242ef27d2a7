package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.ApiKeyStore;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.LimitedSubmits;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.common.port.Submission;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.common.port.TenantUsage;
import io.cascadefarm.common.topic.JobMessage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL {@link JobStore}, and the only class (besides the migrations) that holds SQL.
 *
 * <p>Every state change is one statement built by {@link Move}: it locks the candidate rows ({@code
 * WHERE ... AND status IN (sources of the event) [AND epoch = ?] FOR UPDATE [SKIP LOCKED]}),
 * updates them under the same condition, appends one {@code job_transitions} row per moved job,
 * inserts an outbox row for every job that (re)entered the queue (due at its {@code not_before}),
 * and deletes stale outbox rows of jobs that left it. A stale worker's write therefore matches no
 * row and changes nothing.
 *
 * <p>Timestamps come from the injected {@link Clock} (truncated to microseconds, PostgreSQL's
 * precision), never from {@code now()}, so tests can move time and several hosts agree with the
 * {@code now} the reaper and relay pass in. Unreachable database: {@link
 * StoreUnavailableException}; other SQL failures: {@link StoreException}.
 *
 * <p>Tenant limits are farm-wide: the {@code tenant_limits} row of a tenant holds its unfinished
 * jobs (kept by triggers on {@code jobs}, see V3) and its submit bucket. A store from {@link
 * #limitedBy} locks that row first in every submit transaction, checks and takes, then inserts
 * ({@link TenantLimitGate}).
 */
public final class JdbcJobStore implements JobStore, ApiKeyStore, TenantUsage, LimitedSubmits {
  private static final String JOB_COLUMNS =
      "id, batch_id, tenant, status, params, attempts, max_attempts, epoch, progress, result,"
          + " error, worker, lease_expires_at, created_at, updated_at, started_at, finished_at";
  private static final String QUEUED = "'" + JobStatus.QUEUED.wire() + "'";
  private static final String RUNNING = inList(Set.of(JobStatus.RUNNING));

  /**
   * A claim accepts a job whose backoff ends within this margin, so a worker whose clock lags the
   * relay's by less than that does not drop a job the relay already published (it would then sit
   * queued with no message).
   */
  static final Duration CLAIM_CLOCK_TOLERANCE = Duration.ofSeconds(1);

  private static final JobError LEASE_EXPIRED =
      new JobError("lease_expired", "the worker's lease expired and no attempts are left", true);

  private final Transactions tx;
  private final Clock clock;
  private final Duration outboxClaimTime;
  private final TenantLimits limits; // null: submits are not limited

  /** A store on the system UTC clock; a relay's claimed outbox rows come back after 30 s. */
  public JdbcJobStore(DataSource dataSource) {
    this(dataSource, Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /**
   * @param outboxClaimTime how long {@link #pendingOutbox} hides the rows it returned; if they are
   *     not deleted by {@link #markPublished} in that time (relay crashed) they are due again
   */
  public JdbcJobStore(DataSource dataSource, Clock clock, Duration outboxClaimTime) {
    this(new Transactions(dataSource), clock, outboxClaimTime, null);
  }

  private JdbcJobStore(
      Transactions tx, Clock clock, Duration outboxClaimTime, TenantLimits limits) {
    this.tx = tx;
    this.clock = clock;
    this.outboxClaimTime = outboxClaimTime;
    this.limits = limits;
  }

  /** This store (same pool and clock) with farm-wide tenant limits on submits. */
  @Override
  public JdbcJobStore limitedBy(TenantLimits limits) {
    return new JdbcJobStore(tx, clock, outboxClaimTime, Objects.requireNonNull(limits));
  }

  // ---------------------------------------------------------------- submission

  @Override
  public Submission submit(NewJob job, String idempotencyKey, String requestHash) {
    requireValid(job, job.tenant());
    if (idempotencyKey != null && requestHash == null) {
      throw new IllegalArgumentException("requestHash is required with an idempotency key");
    }
    Instant now = now();
    return tx.inTx(
        "submit job " + job.id(),
        c -> {
          TenantLimitGate gate = gate(c, job.tenant());
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

  private Optional<Submission> claimKey(
      Connection c, NewJob job, String key, String hash, Instant now) throws SQLException {
    String insert =
        "INSERT INTO idempotency_keys (tenant, key, request_hash, job_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, key) DO NOTHING";
    if (update(c, insert, job.tenant(), key, hash, job.id(), now) == 1) {
      return Optional.empty();
    }
    String select =
        "SELECT request_hash, job_id FROM idempotency_keys WHERE tenant = ? AND key = ?";
    try (PreparedStatement ps = prepare(c, select, job.tenant(), key);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("idempotency key vanished", "40001"); // deleted meanwhile: re-run
      }
      if (!hash.equals(rs.getString("request_hash"))) {
        throw new IdempotencyConflictException(key);
      }
      UUID earlier = rs.getObject("job_id", UUID.class);
      Job found = findJob(c, earlier, job.tenant()).orElseThrow();
      return Optional.of(new Submission(found, true));
    }
  }

  private Job insertJob(Connection c, NewJob job, Instant now) throws SQLException {
    String sql =
        "WITH ins AS (INSERT INTO jobs (id, tenant, status, params, batch_key, max_attempts,"
            + " not_before, created_at, updated_at) VALUES (?, ?, "
            + QUEUED
            + ", ?::jsonb, ?, ?, ?, ?, ?) RETURNING *),"
            + " queued AS (INSERT INTO outbox (job_id, available_at) SELECT id, not_before FROM ins)"
            + " SELECT "
            + JOB_COLUMNS
            + " FROM ins";
    try (PreparedStatement ps =
            prepare(
                c,
                sql,
                job.id(),
                job.tenant(),
                JsonColumns.write(job.params()),
                job.params().batchKey(),
                job.maxAttempts(),
                now,
                now,
                now);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return JobRows.job(rs);
    } catch (SQLException e) {
      throw duplicateOr(e, "job id " + job.id());
    }
  }

  @Override
  public BatchSummary submitBatch(NewBatch batch) {
    batch.jobs().forEach(j -> requireValid(j, batch.tenant()));
    Instant now = now();
    int n = batch.jobs().size();
    tx.inTx(
        "submit batch " + batch.id(),
        c -> {
          TenantLimitGate gate = gate(c, batch.tenant());
          if (gate != null) {
            gate.admit(c, n, now);
          }
          String insert =
              "INSERT INTO batches (id, tenant, job_count, metadata, created_at)"
                  + " VALUES (?, ?, ?, ?::jsonb, ?)";
          try {
            update(
                c, insert, batch.id(), batch.tenant(), n, JsonColumns.write(batch.metadata()), now);
            copyJobs(c, batch, now);
          } catch (SQLException e) {
            throw duplicateOr(e, "batch " + batch.id() + " or one of its job ids");
          }
          copyOutbox(c, batch, now);
          return null;
        });
    Map<JobStatus, Integer> counts = zeroCounts();
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

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Job> find(UUID jobId, String tenant) {
    return tx.inTx("find job " + jobId, c -> findJob(c, jobId, tenant));
  }

  @Override
  public Optional<Job> find(UUID jobId) {
    return tx.inTx("find job " + jobId, c -> findJob(c, jobId, null));
  }

  private static Optional<Job> findJob(Connection c, UUID id, String tenant) throws SQLException {
    String sql = "SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = ?";
    List<Object> params = new ArrayList<>(List.of(id));
    if (tenant != null) {
      sql += " AND tenant = ?";
      params.add(tenant);
    }
    try (PreparedStatement ps = prepare(c, sql, params.toArray());
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(JobRows.job(rs)) : Optional.empty();
    }
  }

  @Override
  public Optional<BatchSummary> batch(UUID batchId, String tenant) {
    return tx.inTx(
        "read batch " + batchId,
        c -> {
          String sql =
              "SELECT id, tenant, job_count, metadata, created_at FROM batches"
                  + " WHERE id = ? AND tenant = ?";
          try (PreparedStatement ps = prepare(c, sql, batchId, tenant);
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = JsonColumns.read(rs.getString("metadata"), Map.class);
            return Optional.of(
                new BatchSummary(
                    batchId,
                    tenant,
                    rs.getInt("job_count"),
                    batchCounts(c, batchId),
                    metadata,
                    JobRows.instant(rs, "created_at")));
          }
        });
  }

  private static Map<JobStatus, Integer> batchCounts(Connection c, UUID batchId)
      throws SQLException {
    Map<JobStatus, Integer> counts = zeroCounts();
    String sql = "SELECT status, count(*) AS n FROM jobs WHERE batch_id = ? GROUP BY status";
    try (PreparedStatement ps = prepare(c, sql, batchId);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.put(JobStatus.fromWire(rs.getString("status")), rs.getInt("n"));
      }
    }
    return counts;
  }

  @Override
  public List<Job> listBatchJobs(
      UUID batchId, String tenant, JobStatus status, int limit, UUID after) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    StringBuilder sql =
        new StringBuilder("SELECT " + JOB_COLUMNS + " FROM jobs WHERE batch_id = ? AND tenant = ?");
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
        "list batch " + batchId,
        c -> {
          List<Job> jobs = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql.toString(), params.toArray());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              jobs.add(JobRows.job(rs));
            }
          }
          return jobs;
        });
  }

  @Override
  public Optional<JobStatus> status(UUID jobId) {
    return tx.inTx(
        "read status of " + jobId,
        c -> {
          try (PreparedStatement ps = prepare(c, "SELECT status FROM jobs WHERE id = ?", jobId);
              ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(JobStatus.fromWire(rs.getString(1)))
                : Optional.<JobStatus>empty();
          }
        });
  }

  @Override
  public List<TransitionRecord> history(UUID jobId) {
    String sql =
        "SELECT id AS job_id, NULL AS event, NULL AS from_status, "
            + QUEUED
            + " AS to_status, created_at AS at, NULL AS worker, 'submitted' AS reason, 0 AS seq"
            + " FROM jobs WHERE id = ? UNION ALL"
            + " SELECT job_id, event, from_status, to_status, at, worker, reason, id AS seq"
            + " FROM job_transitions WHERE job_id = ? ORDER BY seq";
    return tx.inTx(
        "read history of " + jobId,
        c -> {
          List<TransitionRecord> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql, jobId, jobId);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(JobRows.transition(rs));
            }
          }
          return out;
        });
  }

  // ---------------------------------------------------------------- worker writes

  @Override
  public Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime) {
    Instant now = now();
    Instant until = now.plus(leaseTime);
    List<Moved> moved =
        run(
            "claim " + jobId,
            new Move(JobEvent.CLAIM)
                .where("id = ?", jobId)
                .guard("not_before <= ?", now.plus(CLAIM_CLOCK_TOLERANCE))
                .set("epoch = j.epoch + 1, attempts = j.attempts + 1, worker = ?", worker)
                .set("lease_expires_at = ?, started_at = ?, progress = NULL", until, now)
                .by(worker, null),
            now);
    return moved.stream()
        .findFirst()
        .map(m -> new Lease(jobId, worker, m.epoch(), m.attempts(), until));
  }

  @Override
  public boolean heartbeat(Lease lease, Duration leaseTime) {
    Instant now = now();
    String sql =
        "UPDATE jobs SET lease_expires_at = ?, updated_at = ?"
            + " WHERE id = ? AND status IN "
            + RUNNING
            + " AND epoch = ?";
    return tx.inTx(
            "heartbeat " + lease.jobId(),
            c -> update(c, sql, now.plus(leaseTime), now, lease.jobId(), lease.epoch()))
        == 1;
  }

  @Override
  public boolean progress(Lease lease, JobProgress progress) {
    String sql =
        "UPDATE jobs SET progress = ?::jsonb, updated_at = ?"
            + " WHERE id = ? AND status IN "
            + RUNNING
            + " AND epoch = ?";
    String json = JsonColumns.write(progress);
    return tx.inTx(
            "progress " + lease.jobId(),
            c -> update(c, sql, json, now(), lease.jobId(), lease.epoch()))
        == 1;
  }

  @Override
  public boolean succeed(Lease lease, JobResult result) {
    Instant now = now();
    Move move =
        workerMove(JobEvent.SUCCEED, lease, null)
            .set("result = ?::jsonb, error = NULL", JsonColumns.write(result))
            .set("lease_expires_at = NULL, finished_at = ?", now);
    return !run("succeed " + lease.jobId(), move, now).isEmpty();
  }

  @Override
  public FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    Instant now = now();
    String errorJson = JsonColumns.write(error);
    Set<JobStatus> sources = EnumSet.copyOf(JobStateMachine.sourcesOf(JobEvent.FAIL));
    sources.addAll(JobStateMachine.sourcesOf(JobEvent.REQUEUE));
    String lock =
        "SELECT attempts, max_attempts FROM jobs WHERE id = ? AND status IN "
            + inList(sources)
            + " AND epoch = ?"
            + " FOR UPDATE";
    return tx.inTx(
        "fail " + lease.jobId(),
        c -> {
          boolean attemptsLeft;
          try (PreparedStatement ps = prepare(c, lock, lease.jobId(), lease.epoch());
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return FailOutcome.STALE;
            }
            attemptsLeft = rs.getInt("attempts") < rs.getInt("max_attempts");
          }
          if (error.retryable() && attemptsLeft) {
            Move requeue =
                workerMove(JobEvent.REQUEUE, lease, error.code())
                    .set("error = ?::jsonb, lease_expires_at = NULL", errorJson)
                    .set("not_before = ?", now.plus(backoff));
            return requeue.run(c, now).isEmpty() ? FailOutcome.STALE : FailOutcome.REQUEUED;
          }
          Move failed =
              workerMove(JobEvent.FAIL, lease, error.code())
                  .set("error = ?::jsonb, lease_expires_at = NULL", errorJson)
                  .set("finished_at = ?", now);
          return failed.run(c, now).isEmpty() ? FailOutcome.STALE : FailOutcome.FAILED;
        });
  }

  @Override
  public boolean release(Lease lease, String reason) {
    Instant now = now();
    Move move =
        workerMove(JobEvent.RELEASE, lease, reason)
            .set("attempts = GREATEST(j.attempts - 1, 0), lease_expires_at = NULL")
            .set("not_before = ?, progress = NULL", now);
    return !run("release " + lease.jobId(), move, now).isEmpty();
  }

  @Override
  public boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    Instant now = now();
    Move move =
        workerMove(JobEvent.RELEASE, lease, error.code())
            .set("attempts = GREATEST(j.attempts - 1, 0), lease_expires_at = NULL")
            .set("error = ?::jsonb", JsonColumns.write(error))
            .set("not_before = ?, progress = NULL", now.plus(delay));
    return !run("release " + lease.jobId(), move, now).isEmpty();
  }

  private static Move workerMove(JobEvent event, Lease lease, String reason) {
    return new Move(event)
        .where("id = ?", lease.jobId())
        .guard("epoch = ?", lease.epoch())
        .by(lease.worker(), reason);
  }

  // ---------------------------------------------------------------- user commands

  @Override
  public boolean cancel(UUID jobId, String tenant) {
    return cancelWhere("cancel " + jobId, "id = ? AND tenant = ?", jobId, tenant) == 1;
  }

  @Override
  public int cancelBatch(UUID batchId, String tenant) {
    return cancelWhere("cancel batch " + batchId, "batch_id = ? AND tenant = ?", batchId, tenant);
  }

  private int cancelWhere(String what, String selector, UUID id, String tenant) {
    Instant now = now();
    Move move =
        new Move(JobEvent.CANCEL)
            .where(selector, id, tenant)
            .set("lease_expires_at = NULL, finished_at = ?", now)
            .by(null, "cancelled by the user");
    return run(what, move, now).size();
  }

  @Override
  public int retry(UUID jobId, String tenant, boolean includeCancelled) {
    return retryWhere("retry " + jobId, "id = ? AND tenant = ?", jobId, tenant, includeCancelled);
  }

  @Override
  public int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    return retryWhere(
        "retry batch " + batchId, "batch_id = ? AND tenant = ?", batchId, tenant, includeCancelled);
  }

  private int retryWhere(String what, String selector, UUID id, String tenant, boolean cancelled) {
    Instant now = now();
    Set<JobStatus> sources = EnumSet.copyOf(JobStateMachine.sourcesOf(JobEvent.RETRY));
    if (!cancelled) {
      sources.remove(JobStatus.CANCELLED);
    }
    Move move =
        new Move(JobEvent.RETRY)
            .from(sources)
            .where(selector, id, tenant)
            .set("attempts = 0, not_before = ?, error = NULL, result = NULL, progress = NULL", now)
            .set("finished_at = NULL, started_at = NULL, lease_expires_at = NULL, worker = NULL")
            .by(null, "retried by the user");
    return run(what, move, now).size();
  }

  // ---------------------------------------------------------------- reaper and relay

  @Override
  public List<UUID> reapExpiredLeases(Instant now, int limit) {
    Instant at = truncate(now);
    return tx.inTx(
        "reap expired leases",
        c -> {
          List<UUID> reaped = new ArrayList<>();
          Move requeue =
              new Move(JobEvent.LEASE_EXPIRED)
                  .where("lease_expires_at < ? AND attempts < max_attempts", at)
                  .lockAtMost("lease_expires_at", limit)
                  .set("lease_expires_at = NULL, not_before = ?, progress = NULL", at)
                  .by(null, "lease_expired");
          requeue.run(c, at).forEach(m -> reaped.add(m.id()));
          if (reaped.size() < limit) {
            Move fail =
                new Move(JobEvent.FAIL)
                    .where("lease_expires_at < ? AND attempts >= max_attempts", at)
                    .lockAtMost("lease_expires_at", limit - reaped.size())
                    .set(
                        "error = ?::jsonb, lease_expires_at = NULL",
                        JsonColumns.write(LEASE_EXPIRED))
                    .set("finished_at = ?", at)
                    .by(null, "lease_expired");
            fail.run(c, at).forEach(m -> reaped.add(m.id()));
          }
          return reaped;
        });
  }

  @Override
  public List<OutboxMessage> pendingOutbox(Instant now, int limit) {
    return pendingJobs(now, limit).stream()
        .map(p -> new OutboxMessage(p.outboxId(), p.message().jobId()))
        .toList();
  }

  /**
   * Like {@link #pendingOutbox} but with each row's {@link JobMessage} (job id, batch key, and for
   * a retry the workers that claimed it before), so a relay publishes without reading each job.
   * Returned rows are hidden from other relays for the claim time; only {@link #markPublished}
   * deletes them.
   */
  public List<PendingJob> pendingJobs(Instant now, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    Instant at = truncate(now);
    String sql =
        "WITH due AS (SELECT id, available_at AS due_at FROM outbox WHERE available_at <= ?"
            + " ORDER BY available_at, id LIMIT ? FOR UPDATE SKIP LOCKED),"
            + " claimed AS (UPDATE outbox o SET available_at = ?, claims = o.claims + 1 FROM due"
            + " WHERE o.id = due.id RETURNING o.id, o.job_id, due.due_at)"
            + " SELECT claimed.id, claimed.job_id, j.batch_key, j.params ->> 'priority' AS priority,"
            + " CASE WHEN j.attempts > 0 THEN ARRAY(SELECT t.worker FROM job_transitions t"
            + " WHERE t.job_id = claimed.job_id AND t.event = 'claim' AND t.worker IS NOT NULL"
            + " ORDER BY t.id) END AS tried_by FROM claimed"
            + " LEFT JOIN jobs j ON j.id = claimed.job_id ORDER BY claimed.due_at, claimed.id";
    return tx.inTx(
        "claim outbox rows",
        c -> {
          List<PendingJob> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql, at, limit, at.plus(outboxClaimTime));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              JobMessage msg =
                  new JobMessage(
                      rs.getObject("job_id", UUID.class),
                      rs.getString("batch_key"),
                      triedBy(rs.getArray("tried_by")),
                      rs.getString("priority"));
              out.add(new PendingJob(rs.getLong("id"), msg));
            }
          }
          return out;
        });
  }

  /** Claim workers oldest first, each once, at the place of its latest claim. */
  private static List<String> triedBy(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    LinkedHashSet<String> order = new LinkedHashSet<>();
    for (Object w : (Object[]) array.getArray()) {
      order.remove(w);
      order.add((String) w);
    }
    return List.copyOf(order);
  }

  @Override
  public void markPublished(List<Long> outboxIds) {
    if (outboxIds.isEmpty()) {
      return;
    }
    Long[] ids = outboxIds.toArray(new Long[0]);
    tx.inTx(
        "delete published outbox rows",
        c -> update(c, "DELETE FROM outbox WHERE id = ANY(?)", (Object) ids));
  }

  // ---------------------------------------------------------------- the transition statement

  private List<Moved> run(String what, Move move, Instant now) {
    return tx.inTx(what, c -> move.run(c, now));
  }

  /** One job (or set of jobs) moved by a transition, as the statement returned it. */
  private record Moved(UUID id, JobStatus from, JobStatus to, long epoch, int attempts) {}

  /**
   * A transition as one SQL statement. The selector picks candidate rows, the guard adds conditions
   * (epoch, backoff) checked both when locking and in the UPDATE; the source states come from
   * {@link JobStateMachine#sourcesOf}, the target from {@link JobStateMachine#targetOf}.
   */
  private static final class Move {
    private final JobEvent event;
    private Set<JobStatus> sources;
    private String selector = "TRUE";
    private final List<Object> selectorParams = new ArrayList<>();
    private String guard = "";
    private final List<Object> guardParams = new ArrayList<>();
    private final StringBuilder sets = new StringBuilder();
    private final List<Object> setParams = new ArrayList<>();
    private String order = "id";
    private Integer limit;
    private String worker;
    private String reason;

    Move(JobEvent event) {
      this.event = event;
      this.sources = JobStateMachine.sourcesOf(event);
    }

    /** Narrows the source states (e.g. retry without cancelled jobs). */
    Move from(Set<JobStatus> subset) {
      if (!JobStateMachine.sourcesOf(event).containsAll(subset)) {
        throw new IllegalArgumentException(event.wire() + " is not allowed from " + subset);
      }
      this.sources = subset;
      return this;
    }

    Move where(String sql, Object... params) {
      this.selector = sql;
      selectorParams.addAll(Arrays.asList(params));
      return this;
    }

    Move guard(String sql, Object... params) {
      this.guard += " AND " + sql;
      guardParams.addAll(Arrays.asList(params));
      return this;
    }

    Move set(String assignments, Object... params) {
      sets.append(", ").append(assignments);
      setParams.addAll(Arrays.asList(params));
      return this;
    }

    /** At most {@code n} rows, oldest {@code orderColumn} first, skipping rows others hold. */
    Move lockAtMost(String orderColumn, int n) {
      this.order = orderColumn;
      this.limit = n;
      return this;
    }

    Move by(String worker, String reason) {
      this.worker = worker;
      this.reason = reason;
      return this;
    }

    List<Moved> run(Connection c, Instant now) throws SQLException {
      if (sources.isEmpty()) {
        return List.of();
      }
      String target = "'" + JobStateMachine.targetOf(event).wire() + "'";
      String sql =
          "WITH old AS (SELECT id, status AS from_status FROM jobs WHERE "
              + selector
              + " AND status IN "
              + inList(sources)
              + guard
              + " ORDER BY "
              + order
              + (limit == null ? "" : " LIMIT ?")
              + " FOR UPDATE"
              + (limit == null ? "" : " SKIP LOCKED")
              + "), moved AS (UPDATE jobs j SET status = "
              + target
              + ", updated_at = ?"
              + sets
              + " FROM old WHERE j.id = old.id AND j.status IN "
              + inList(sources)
              + guard
              + " RETURNING j.id, old.from_status, j.status, j.epoch, j.attempts, j.not_before),"
              + " logged AS (INSERT INTO job_transitions"
              + " (job_id, event, from_status, to_status, at, worker, reason)"
              + " SELECT id, ?::text, from_status, status, ?::timestamptz, ?::text, ?::text FROM moved),"
              + " queued AS (INSERT INTO outbox (job_id, available_at)"
              + " SELECT id, not_before FROM moved WHERE status = "
              + QUEUED
              + "), dropped AS (DELETE FROM outbox WHERE job_id IN"
              + " (SELECT id FROM moved WHERE status <> "
              + QUEUED
              + ")) SELECT id, from_status, status, epoch, attempts FROM moved";
      List<Object> params = new ArrayList<>(selectorParams);
      params.addAll(guardParams);
      if (limit != null) {
        params.add(limit);
      }
      params.add(now);
      params.addAll(setParams);
      params.addAll(guardParams);
      params.addAll(List.of(event.wire(), now));
      params.add(worker);
      params.add(reason);
      List<Moved> moved = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params.toArray());
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          moved.add(
              new Moved(
                  rs.getObject("id", UUID.class),
                  JobStatus.fromWire(rs.getString("from_status")),
                  JobStatus.fromWire(rs.getString("status")),
                  rs.getLong("epoch"),
                  rs.getInt("attempts")));
        }
      }
      return moved;
    }
  }

  // ---------------------------------------------------------------- helpers

  private Instant now() {
    return truncate(clock.instant());
  }

  private static Instant truncate(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The states as an SQL list of literals, e.g. {@code ('failed', 'cancelled')}: constants from the
   * enum (never user input), inlined so the planner can use the partial reaper index.
   */
  private static String inList(Set<JobStatus> statuses) {
    return statuses.stream()
        .sorted()
        .map(st -> "'" + st.wire() + "'")
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  private static Map<JobStatus, Integer> zeroCounts() {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, 0);
    }
    return counts;
  }

  // ---------------------------------------------------------------- tenants and API keys

  /** The tenant's queued and running jobs, as the V3 triggers count them (0 if none ever). */
  @Override
  public long unfinishedJobs(String tenant) {
    return tx.inTx(
        "read unfinished jobs of " + tenant,
        c -> {
          try (PreparedStatement ps =
                  prepare(c, "SELECT unfinished FROM tenant_limits WHERE tenant = ?", tenant);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  /**
   * Locks the tenant's {@code tenant_limits} row (creating it) when this store is limited, else
   * null. Called first in a submit transaction, before the idempotency key and the job rows, so
   * every submit of a tenant takes its locks in the order limits row, key, new rows, and nothing
   * that holds a job-row lock ever waits for a submit: no deadlock (see {@link TenantLimitGate}).
   */
  private TenantLimitGate gate(Connection c, String tenant) throws SQLException {
    if (limits == null) {
      return null;
    }
    String lock =
        "SELECT unfinished, tokens, refilled_at FROM tenant_limits WHERE tenant = ? FOR UPDATE";
    for (int round = 0; ; round++) {
      try (PreparedStatement ps = prepare(c, lock, tenant);
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          double tokens = rs.getDouble("tokens");
          boolean neverTaken = rs.wasNull();
          return new TenantLimitGate(
              tenant,
              limits,
              rs.getLong("unfinished"),
              neverTaken ? limits.submitBurst() : tokens,
              JobRows.instant(rs, "refilled_at"));
        }
      }
      if (round > 0) {
        throw new SQLException("tenant_limits row of " + tenant + " vanished", "40001");
      }
      update(
          c,
          "INSERT INTO tenant_limits (tenant) VALUES (?) ON CONFLICT (tenant) DO NOTHING",
          tenant);
    }
  }

  /** Writes the bucket a {@link TenantLimitGate} took from (the row is locked). */
  static void saveBucket(Connection c, String tenant, double tokens, Instant refilledAt)
      throws SQLException {
    update(
        c,
        "UPDATE tenant_limits SET tokens = ?, refilled_at = ? WHERE tenant = ?",
        tokens,
        refilledAt,
        tenant);
  }

  @Override
  public ApiKey createKey(String tenant, String name, String keySha256) {
    if (tenant == null || tenant.isBlank() || name == null || keySha256 == null) {
      throw new IllegalArgumentException("tenant, name and key hash are required");
    }
    ApiKey key = new ApiKey(UUID.randomUUID(), tenant, name, now(), null);
    return tx.inTx(
        "create API key",
        c -> {
          try {
            update(
                c,
                "INSERT INTO api_keys (id, tenant, name, key_sha256, created_at)"
                    + " VALUES (?, ?, ?, ?, ?)",
                key.id(),
                tenant,
                name,
                keySha256,
                key.createdAt());
          } catch (SQLException e) {
            throw duplicateOr(e, "an API key with this hash");
          }
          return key;
        });
  }

  @Override
  public List<ApiKey> listKeys() {
    return tx.inTx(
        "list API keys",
        c -> {
          List<ApiKey> out = new ArrayList<>();
          try (PreparedStatement ps =
                  prepare(c, "SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY created_at, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(apiKey(rs));
            }
          }
          return out;
        });
  }

  @Override
  public boolean revokeKey(UUID id) {
    return tx.inTx(
        "revoke API key " + id,
        c ->
            update(
                    c,
                    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    now(),
                    id)
                == 1);
  }

  @Override
  public Optional<ApiKey> findKey(String keySha256) {
    return tx.inTx(
        "find API key",
        c -> {
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_sha256 = ?",
                      keySha256);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
          }
        });
  }

  private static final String KEY_COLUMNS = "id, tenant, name, created_at, revoked_at";

  private static ApiKey apiKey(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getObject("id", UUID.class),
        rs.getString("tenant"),
        rs.getString("name"),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "revoked_at"));
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      SqlParams.bind(ps, Arrays.asList(params));
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  private static SQLException duplicateOr(SQLException e, String what) {
    if (SqlErrors.isUniqueViolation(e)) {
      throw new IllegalArgumentException(what + " already exists", e);
    }
    return e;
  }

  private static void requireValid(NewJob job, String tenant) {
    if (job.id() == null) {
      throw new IllegalArgumentException("job id must not be null");
    }
    if (job.tenant() == null || !job.tenant().equals(tenant)) {
      throw new IllegalArgumentException(
          "job " + job.id() + ": tenant '" + job.tenant() + "' differs from '" + tenant + "'");
    }
    if (job.params() == null) {
      throw new IllegalArgumentException("job " + job.id() + ": params must not be null");
    }
    if (job.maxAttempts() < 1) {
      throw new IllegalArgumentException(
          "job " + job.id() + ": max_attempts must be >= 1, got " + job.maxAttempts());
    }
  }
}
