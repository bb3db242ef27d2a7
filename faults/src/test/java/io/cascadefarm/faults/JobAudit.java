package io.cascadefarm.faults;

import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the truth straight from PostgreSQL (a fresh connection per call, so it works across
 * restarts): a batch's jobs and their transition log.
 */
final class JobAudit {
  private final String url;
  private final String user;
  private final String password;

  JobAudit(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Status to count for the batch. */
  Map<String, Integer> counts(UUID batch) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    query(
        "SELECT status, count(*) FROM jobs WHERE batch_id = ? GROUP BY status",
        batch,
        rs -> counts.put(rs.getString(1), rs.getInt(2)));
    return counts;
  }

  /** Outbox rows (not yet published to Kafka) of the batch's jobs. */
  int outboxRows(UUID batch) {
    int[] n = {0};
    query(
        "SELECT count(*) FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE j.batch_id = ?",
        batch,
        rs -> n[0] = rs.getInt(1));
    return n[0];
  }

  List<JobRow> jobs(UUID batch) {
    List<JobRow> rows = new ArrayList<>();
    query(
        "SELECT id, status, attempts, max_attempts, result, error FROM jobs"
            + " WHERE batch_id = ? ORDER BY id",
        batch,
        rs ->
            rows.add(
                new JobRow(
                    (UUID) rs.getObject(1),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getInt(4),
                    json(rs.getString(5)),
                    json(rs.getString(6)))));
    return rows;
  }

  /** Every transition of the batch's jobs, in the order they were recorded. */
  List<Transition> transitions(UUID batch) {
    List<Transition> out = new ArrayList<>();
    query(
        "SELECT t.job_id, t.event, t.to_status, t.worker, t.reason, t.at FROM job_transitions t"
            + " JOIN jobs j ON j.id = t.job_id WHERE j.batch_id = ? ORDER BY t.id",
        batch,
        rs ->
            out.add(
                new Transition(
                    (UUID) rs.getObject(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant())));
    return out;
  }

  /** True when every job of the batch is succeeded, failed or cancelled (and there is one). */
  boolean finished(UUID batch, int jobs) {
    return done(batch) == jobs;
  }

  /** Jobs of the batch in a terminal state. */
  int done(UUID batch) {
    Map<String, Integer> c = counts(batch);
    return c.getOrDefault("succeeded", 0)
        + c.getOrDefault("failed", 0)
        + c.getOrDefault("cancelled", 0);
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, UUID param, RowReader reader) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("audit query failed: " + e.getMessage(), e);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String s) {
    try {
      return s == null ? null : Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
