package io.cascadefarm.db;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A transition as one SQL statement: it locks the candidate rows ({@code WHERE ... AND status IN
 * (sources of the event) [AND epoch = ?] FOR UPDATE [SKIP LOCKED]}), updates them under the same
 * condition, appends one {@code job_transitions} row per moved job, inserts an outbox row for every
 * job that (re)entered the queue (due at its {@code not_before}), and deletes stale outbox rows of
 * jobs that left it. A stale worker's write therefore matches no row and changes nothing.
 *
 * <p>The selector picks candidate rows, the guard adds conditions (epoch, backoff) checked both
 * when locking and in the UPDATE; the source states come from {@link JobStateMachine#sourcesOf},
 * the target from {@link JobStateMachine#targetOf}. {@link #with} adds a leading CTE (e.g. an
 * {@code input} table of per-job values from {@code unnest} arrays) the other parts may read.
 */
final class Move {
  /** One job moved by a transition, as the statement returned it ({@code job}: see below). */
  record Moved(UUID id, JobStatus from, JobStatus to, long epoch, int attempts, Job job) {}

  private final JobEvent event;
  private Set<JobStatus> sources;
  private String with = "";
  private final List<Object> withParams = new ArrayList<>();
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
  private boolean returningJobs;

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

  /** A leading common table expression, {@code name AS (...)}. */
  Move with(String cte, Object... params) {
    this.with = cte + ", ";
    withParams.addAll(Arrays.asList(params));
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

  /** Every {@link Moved} also carries the whole job row as the move left it. */
  Move returningJobs() {
    this.returningJobs = true;
    return this;
  }

  List<Moved> run(Connection c, Instant now) throws SQLException {
    if (sources.isEmpty()) {
      return List.of();
    }
    String target = "'" + JobStateMachine.targetOf(event).wire() + "'";
    String returning =
        returningJobs
            ? "j.*, old.from_status"
            : "j.id, old.from_status, j.status, j.epoch, j.attempts, j.not_before";
    String sql =
        "WITH "
            + with
            + "old AS (SELECT id, status AS from_status FROM jobs WHERE "
            + selector
            + " AND status IN "
            + Sql.inList(sources)
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
            + Sql.inList(sources)
            + guard
            + " RETURNING "
            + returning
            + "), logged AS (INSERT INTO job_transitions"
            + " (job_id, event, from_status, to_status, at, worker, reason)"
            + " SELECT id, ?::text, from_status, status, ?::timestamptz, ?::text, ?::text FROM moved),"
            + " queued AS (INSERT INTO outbox (job_id, available_at)"
            + " SELECT id, not_before FROM moved WHERE status = "
            + Sql.QUEUED
            + "), dropped AS (DELETE FROM outbox WHERE job_id IN"
            + " (SELECT id FROM moved WHERE status <> "
            + Sql.QUEUED
            + ")) SELECT * FROM moved";
    List<Object> params = new ArrayList<>(withParams);
    params.addAll(selectorParams);
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
    return Sql.list(
        c,
        sql,
        rs ->
            new Moved(
                rs.getObject("id", UUID.class),
                JobStatus.fromWire(rs.getString("from_status")),
                JobStatus.fromWire(rs.getString("status")),
                rs.getLong("epoch"),
                rs.getInt("attempts"),
                returningJobs ? JobRows.job(rs) : null),
        params.toArray());
  }
}
