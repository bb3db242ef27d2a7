package io.cascadefarm.db;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.ClaimedJob;
import io.cascadefarm.common.port.Completion;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.LeaseState;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a worker writes under its leases: claims, heartbeats, progress, success, failure and
 * release. Every write is fenced by the lease's epoch. The group writes a render group needs
 * (claim, heartbeat, progress with the cancellation check, success) are each one statement for the
 * whole group, run in auto-commit mode: one round trip.
 */
final class LeaseWrites {
  /**
   * A claim accepts a job whose backoff ends within this margin, so a worker whose clock lags the
   * relay's by less than that does not drop a job the relay already published (it would then sit
   * queued with no message).
   */
  static final Duration CLAIM_CLOCK_TOLERANCE = Duration.ofSeconds(1);

  /** Per-job values of a group write, as arrays {@code unnest} turns into the table input. */
  private static final String LEASES =
      "input AS (SELECT * FROM unnest(?::uuid[], ?::bigint[]) AS t(id, epoch))";

  private final Transactions tx;
  private final Clock clock;

  LeaseWrites(Transactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  /** Claims the claimable jobs of {@code ids} and returns them, in the order of {@code ids}. */
  List<ClaimedJob> claimAll(List<UUID> ids, String worker, Duration leaseTime) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Instant now = Sql.now(clock);
    Instant until = now.plus(leaseTime);
    Move claim =
        new Move(JobEvent.CLAIM)
            .where("id = ANY(?)", (Object) ids.toArray(new UUID[0]))
            .guard("not_before <= ?", now.plus(CLAIM_CLOCK_TOLERANCE))
            .set("epoch = j.epoch + 1, attempts = j.attempts + 1, worker = ?", worker)
            .set("lease_expires_at = ?, started_at = ?, progress = NULL", until, now)
            .by(worker, null)
            .returningJobs();
    Map<UUID, ClaimedJob> byId = new HashMap<>();
    for (Move.Moved m : tx.statement("claim " + ids, c -> claim.run(c, now))) {
      Lease lease = new Lease(m.id(), worker, m.epoch(), m.attempts(), until);
      byId.put(m.id(), new ClaimedJob(lease, m.job()));
    }
    List<ClaimedJob> out = new ArrayList<>();
    for (UUID id : new LinkedHashSet<>(ids)) {
      Optional.ofNullable(byId.get(id)).ifPresent(out::add);
    }
    return out;
  }

  Set<UUID> heartbeatAll(List<Lease> leases, Duration leaseTime) {
    if (leases.isEmpty()) {
      return Set.of();
    }
    Instant now = Sql.now(clock);
    String sql =
        "WITH "
            + LEASES
            + " UPDATE jobs j SET lease_expires_at = ?, updated_at = ? FROM input"
            + " WHERE j.id = input.id AND j.epoch = input.epoch AND j.status IN "
            + Sql.RUNNING
            + " RETURNING j.id";
    Object[] params = withLeases(leases, now.plus(leaseTime), now);
    return new LinkedHashSet<>(
        tx.statement(
            "heartbeat " + leases.size() + " job(s)",
            c -> Sql.list(c, sql, rs -> rs.getObject(1, UUID.class), params)));
  }

  boolean progress(Lease lease, JobProgress progress) {
    String sql =
        "UPDATE jobs SET progress = ?::jsonb, updated_at = ?"
            + " WHERE id = ? AND status IN "
            + Sql.RUNNING
            + " AND epoch = ?";
    String json = JsonColumns.write(progress);
    Instant now = Sql.now(clock);
    return tx.statement(
            "progress " + lease.jobId(),
            c -> Sql.update(c, sql, json, now, lease.jobId(), lease.epoch()))
        == 1;
  }

  /**
   * Writes {@code progress} (null: nothing) under every current lease and reads back where each job
   * stands, in one statement: the final SELECT sees the rows as they were before the update, whose
   * status and epoch it does not change.
   */
  Map<UUID, LeaseState> sync(List<Lease> leases, JobProgress progress) {
    if (leases.isEmpty()) {
      return Map.of();
    }
    Instant now = Sql.now(clock);
    String write =
        progress == null
            ? ""
            : ", written AS (UPDATE jobs j SET progress = ?::jsonb, updated_at = ? FROM input"
                + " WHERE j.id = input.id AND j.epoch = input.epoch AND j.status IN "
                + Sql.RUNNING
                + ")";
    String sql =
        "WITH "
            + LEASES
            + write
            + " SELECT input.id, input.epoch AS held, j.status, j.epoch FROM input"
            + " LEFT JOIN jobs j ON j.id = input.id";
    Object[] params =
        progress == null
            ? withLeases(leases)
            : withLeases(leases, JsonColumns.write(progress), now);
    Map<UUID, LeaseState> states = new HashMap<>();
    tx.statement(
            "sync " + leases.size() + " job(s)",
            c ->
                Sql.list(
                    c,
                    sql,
                    rs -> {
                      String status = rs.getString("status");
                      LeaseState state = LeaseState.LOST;
                      if (JobStatus.CANCELLED.wire().equals(status)) {
                        state = LeaseState.CANCELLED;
                      } else if (JobStatus.RUNNING.wire().equals(status)
                          && rs.getLong("epoch") == rs.getLong("held")) {
                        state = LeaseState.CURRENT;
                      }
                      return Map.entry(rs.getObject("id", UUID.class), state);
                    },
                    params))
        .forEach(e -> states.put(e.getKey(), e.getValue()));
    Map<UUID, LeaseState> out = new LinkedHashMap<>();
    leases.forEach(l -> out.put(l.jobId(), states.getOrDefault(l.jobId(), LeaseState.LOST)));
    return out;
  }

  /** Succeeds every completion whose lease is current, in one statement. */
  Set<UUID> succeedAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return Set.of();
    }
    Instant now = Sql.now(clock);
    int n = completions.size();
    UUID[] ids = new UUID[n];
    Long[] epochs = new Long[n];
    String[] results = new String[n];
    for (int i = 0; i < n; i++) {
      Completion c = completions.get(i);
      ids[i] = c.lease().jobId();
      epochs[i] = c.lease().epoch();
      results[i] = JsonColumns.write(c.result());
    }
    String worker = completions.get(0).lease().worker();
    Move succeed =
        new Move(JobEvent.SUCCEED)
            .with(
                "input AS (SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::text[])"
                    + " AS t(id, epoch, result))",
                ids,
                epochs,
                results)
            .where("(id, epoch) IN (SELECT id, epoch FROM input)")
            .set("result = (SELECT i.result FROM input i WHERE i.id = j.id)::jsonb, error = NULL")
            .set("lease_expires_at = NULL, finished_at = ?", now)
            .by(worker, null);
    Set<UUID> done = new LinkedHashSet<>();
    tx.statement("succeed " + n + " job(s)", c -> succeed.run(c, now))
        .forEach(m -> done.add(m.id()));
    return done;
  }

  FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    Instant now = Sql.now(clock);
    String errorJson = JsonColumns.write(error);
    Set<JobStatus> sources = EnumSet.copyOf(JobStateMachine.sourcesOf(JobEvent.FAIL));
    sources.addAll(JobStateMachine.sourcesOf(JobEvent.REQUEUE));
    String lock =
        "SELECT attempts, max_attempts FROM jobs WHERE id = ? AND status IN "
            + Sql.inList(sources)
            + " AND epoch = ? FOR UPDATE";
    return tx.inTx(
        "fail " + lease.jobId(),
        c -> {
          Optional<Boolean> attemptsLeft =
              Sql.one(
                  c,
                  lock,
                  rs -> rs.getInt("attempts") < rs.getInt("max_attempts"),
                  lease.jobId(),
                  lease.epoch());
          if (attemptsLeft.isEmpty()) {
            return FailOutcome.STALE;
          }
          if (error.retryable() && attemptsLeft.get()) {
            Move requeue =
                workerMove(JobEvent.REQUEUE, lease, error.code())
                    .set("error = ?::jsonb, lease_expires_at = NULL", errorJson)
                    .set("not_before = ?", now.plus(backoff));
            return moved(c, requeue, now) ? FailOutcome.REQUEUED : FailOutcome.STALE;
          }
          Move failed =
              workerMove(JobEvent.FAIL, lease, error.code())
                  .set("error = ?::jsonb, lease_expires_at = NULL", errorJson)
                  .set("finished_at = ?", now);
          return moved(c, failed, now) ? FailOutcome.FAILED : FailOutcome.STALE;
        });
  }

  boolean release(Lease lease, String reason) {
    Instant now = Sql.now(clock);
    Move move =
        workerMove(JobEvent.RELEASE, lease, reason)
            .set("attempts = GREATEST(j.attempts - 1, 0), lease_expires_at = NULL")
            .set("not_before = ?, progress = NULL", now);
    return tx.statement("release " + lease.jobId(), c -> moved(c, move, now));
  }

  boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    Instant now = Sql.now(clock);
    Move move =
        workerMove(JobEvent.RELEASE, lease, error.code())
            .set("attempts = GREATEST(j.attempts - 1, 0), lease_expires_at = NULL")
            .set("error = ?::jsonb", JsonColumns.write(error))
            .set("not_before = ?, progress = NULL", now.plus(delay));
    return tx.statement("release " + lease.jobId(), c -> moved(c, move, now));
  }

  private static boolean moved(Connection c, Move move, Instant now) throws java.sql.SQLException {
    return !move.run(c, now).isEmpty();
  }

  private static Move workerMove(JobEvent event, Lease lease, String reason) {
    return new Move(event)
        .where("id = ?", lease.jobId())
        .guard("epoch = ?", lease.epoch())
        .by(lease.worker(), reason);
  }

  /** The id and epoch arrays of {@link #LEASES}, then {@code more}. */
  private static Object[] withLeases(List<Lease> leases, Object... more) {
    UUID[] ids = leases.stream().map(Lease::jobId).toArray(UUID[]::new);
    Long[] epochs = leases.stream().map(Lease::epoch).toArray(Long[]::new);
    Object[] out = new Object[2 + more.length];
    out[0] = ids;
    out[1] = epochs;
    System.arraycopy(more, 0, out, 2, more.length);
    return out;
  }
}
