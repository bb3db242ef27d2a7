package io.cascadefarm.db;

import io.cascadefarm.common.job.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The helpers every table class of the store shares: binding, running, mapping, literals. */
final class Sql {
  static final String JOB_COLUMNS =
      "id, batch_id, tenant, status, params, attempts, max_attempts, epoch, progress, result,"
          + " error, worker, lease_expires_at, created_at, updated_at, started_at, finished_at";
  static final String QUEUED = "'" + JobStatus.QUEUED.wire() + "'";
  static final String RUNNING = inList(Set.of(JobStatus.RUNNING));

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Sql() {}

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

  static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row.map(rs));
      }
    }
    return out;
  }

  static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
    }
  }

  /** A unique violation as IllegalArgumentException ("... already exists"), else {@code e}. */
  static SQLException duplicateOr(SQLException e, String what) {
    if (SqlErrors.isUniqueViolation(e)) {
      throw new IllegalArgumentException(what + " already exists", e);
    }
    return e;
  }

  /**
   * The states as an SQL list of literals, e.g. {@code ('failed', 'cancelled')}: constants from the
   * enum (never user input), inlined so the planner can use the partial reaper index.
   */
  static String inList(Set<JobStatus> statuses) {
    return statuses.stream()
        .sorted()
        .map(st -> "'" + st.wire() + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }

  /** PostgreSQL keeps microseconds. */
  static Instant truncate(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  static Instant now(Clock clock) {
    return truncate(clock.instant());
  }

  static Map<JobStatus, Integer> zeroCounts() {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, 0);
    }
    return counts;
  }

  static void requireLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }
}
