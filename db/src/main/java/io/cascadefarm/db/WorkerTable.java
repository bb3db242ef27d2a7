package io.cascadefarm.db;

import io.cascadefarm.common.port.WorkerCommand;
import io.cascadefarm.common.port.WorkerHeartbeat;
import io.cascadefarm.common.port.WorkerRecord;
import io.cascadefarm.common.port.WorkerRegistry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The workers registry in PostgreSQL (table {@code workers}, V60). A worker's heartbeat is one
 * upsert that writes only the worker's own columns and reads back the operator's ({@code hold},
 * {@code release_requests}), so a drain or release is never lost to a concurrent heartbeat. {@code
 * state_since} moves only when the reported state changes.
 */
public final class WorkerTable implements WorkerRegistry {
  private static final String COLUMNS =
      "id, host, pid, devices, precision, models, numerics_passed, numerics_summary,"
          + " current_jobs, succeeded, failed, consecutive_failures, state, state_reason,"
          + " state_since, started_at, last_heartbeat, hold, hold_reason, release_requests";

  private final Transactions tx;
  private final Clock clock;

  public WorkerTable(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public WorkerTable(DataSource dataSource, Clock clock) {
    this.tx = new Transactions(dataSource);
    this.clock = clock;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public WorkerCommand heartbeat(WorkerHeartbeat h) {
    Instant now = now();
    String sql =
        "INSERT INTO workers AS w (id, host, pid, devices, precision, models, numerics_passed,"
            + " numerics_summary, current_jobs, succeeded, failed, consecutive_failures, state,"
            + " state_reason, state_since, started_at, last_heartbeat)"
            + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::uuid[], ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,"
            + " devices = EXCLUDED.devices, precision = EXCLUDED.precision,"
            + " models = EXCLUDED.models, numerics_passed = EXCLUDED.numerics_passed,"
            + " numerics_summary = EXCLUDED.numerics_summary,"
            + " current_jobs = EXCLUDED.current_jobs, succeeded = EXCLUDED.succeeded,"
            + " failed = EXCLUDED.failed, consecutive_failures = EXCLUDED.consecutive_failures,"
            + " state_since = CASE WHEN w.state IS DISTINCT FROM EXCLUDED.state"
            + " OR w.started_at IS DISTINCT FROM EXCLUDED.started_at"
            + " THEN EXCLUDED.state_since ELSE w.state_since END,"
            + " state = EXCLUDED.state, state_reason = EXCLUDED.state_reason,"
            + " started_at = EXCLUDED.started_at, last_heartbeat = EXCLUDED.last_heartbeat"
            + " RETURNING hold, hold_reason, release_requests";
    String[] jobs = h.currentJobs().stream().map(UUID::toString).toArray(String[]::new);
    return tx.inTx(
        "worker heartbeat " + h.id(),
        c -> {
          try (PreparedStatement ps =
                  prepare(
                      c,
                      sql,
                      h.id(),
                      h.host(),
                      h.pid(),
                      JsonColumns.write(h.devices()),
                      h.precision(),
                      h.models().toArray(new String[0]),
                      h.numericsPassed(),
                      h.numericsSummary(),
                      jobs,
                      h.succeeded(),
                      h.failed(),
                      h.consecutiveFailures(),
                      h.state(),
                      h.stateReason(),
                      now,
                      h.startedAt(),
                      now);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new WorkerCommand(
                rs.getString("hold"), rs.getString("hold_reason"), rs.getInt("release_requests"));
          }
        });
  }

  @Override
  public List<WorkerRecord> list() {
    return tx.inTx(
        "list workers",
        c -> {
          List<WorkerRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
                  prepare(c, "SELECT " + COLUMNS + " FROM workers ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(record(rs));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<WorkerRecord> find(String id) {
    return tx.inTx(
        "find worker " + id,
        c -> {
          try (PreparedStatement ps =
                  prepare(c, "SELECT " + COLUMNS + " FROM workers WHERE id = ?", id);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(record(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public boolean drain(String id, String reason) {
    return tx.inTx(
        "drain worker " + id,
        c ->
            update(c, "UPDATE workers SET hold = 'drain', hold_reason = ? WHERE id = ?", reason, id)
                == 1);
  }

  @Override
  public boolean release(String id) {
    return tx.inTx(
        "release worker " + id,
        c ->
            update(
                    c,
                    "UPDATE workers SET hold = NULL, hold_reason = NULL,"
                        + " release_requests = release_requests + 1 WHERE id = ?",
                    id)
                == 1);
  }

  @Override
  public int deleteSilentSince(Instant cutoff) {
    return tx.inTx(
        "delete silent workers",
        c -> update(c, "DELETE FROM workers WHERE last_heartbeat < ?", cutoff));
  }

  @Override
  public Map<UUID, JobElsewhere> elsewhere(String worker, Collection<UUID> jobs) {
    Map<UUID, JobElsewhere> out = new LinkedHashMap<>();
    if (jobs.isEmpty()) {
      return out;
    }
    // job_transitions is indexed by (job_id, id): one index range per job
    String sql =
        "SELECT job_id,"
            + " bool_or(event = 'succeed') AS succeeded,"
            + " bool_or(event IN ('requeue', 'fail')) AS failed"
            + " FROM job_transitions WHERE job_id = ANY(?::uuid[]) AND worker IS NOT NULL"
            + " AND worker <> ? GROUP BY job_id";
    String[] ids = jobs.stream().map(UUID::toString).toArray(String[]::new);
    return tx.inTx(
        "jobs of " + worker + " elsewhere",
        c -> {
          try (PreparedStatement ps = prepare(c, sql, ids, worker);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(
                  rs.getObject("job_id", UUID.class),
                  new JobElsewhere(rs.getBoolean("succeeded"), rs.getBoolean("failed")));
            }
          }
          return out;
        });
  }

  private static WorkerRecord record(ResultSet rs) throws SQLException {
    Object passed = rs.getObject("numerics_passed");
    String[] devices = JsonColumns.read(rs.getString("devices"), String[].class);
    return new WorkerRecord(
        rs.getString("id"),
        rs.getString("host"),
        rs.getLong("pid"),
        devices == null ? List.of() : Arrays.asList(devices),
        rs.getString("precision"),
        strings(rs.getArray("models")),
        passed == null ? null : (Boolean) passed,
        rs.getString("numerics_summary"),
        uuids(rs.getArray("current_jobs")),
        rs.getLong("succeeded"),
        rs.getLong("failed"),
        rs.getInt("consecutive_failures"),
        rs.getString("state"),
        rs.getString("state_reason"),
        JobRows.instant(rs, "state_since"),
        JobRows.instant(rs, "started_at"),
        JobRows.instant(rs, "last_heartbeat"),
        rs.getString("hold"),
        rs.getString("hold_reason"),
        rs.getInt("release_requests"));
  }

  private static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  private static List<UUID> uuids(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    List<UUID> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(o instanceof UUID u ? u : UUID.fromString(String.valueOf(o)));
    }
    return out;
  }

  static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      SqlParams.bind(ps, Arrays.asList(params));
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }
}
