package io.cascadefarm.db;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.ResultRetention;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link ResultRetention} on PostgreSQL. The expiry mark lives in the result JSON ({@code
 * expired_at}), so every reader of the job sees it without a schema change of the job record; the
 * partial index of {@code V40__results_ttl.sql} holds only the rows still to sweep.
 */
public final class JdbcResultRetention implements ResultRetention {
  private static final String STORED =
      "j.status = 'succeeded' AND j.result IS NOT NULL AND NOT jsonb_exists(j.result,"
          + " 'expired_at')";
  private final DataSource dataSource;
  private final Clock clock;

  public JdbcResultRetention(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public JdbcResultRetention(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  @Override
  public List<Due> due(Instant defaultCutoff, Map<String, Instant> tenantCutoffs, int limit) {
    String sql =
        "SELECT j.id, j.tenant, j.result, j.finished_at FROM jobs j"
            + " LEFT JOIN unnest(?::text[], ?::timestamptz[]) AS t(tenant, cutoff)"
            + " ON t.tenant = j.tenant WHERE "
            + STORED
            + " AND j.finished_at < CASE WHEN t.tenant IS NULL THEN ?::timestamptz"
            + " ELSE t.cutoff END ORDER BY j.finished_at LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      List<String> tenants = new ArrayList<>(tenantCutoffs.keySet());
      Timestamp[] cutoffs = new Timestamp[tenants.size()];
      for (int i = 0; i < tenants.size(); i++) {
        Instant t = tenantCutoffs.get(tenants.get(i));
        cutoffs[i] = t == null ? null : Timestamp.from(t);
      }
      Array names = c.createArrayOf("text", tenants.toArray());
      Array times = c.createArrayOf("timestamptz", cutoffs);
      ps.setArray(1, names);
      ps.setArray(2, times);
      ps.setTimestamp(3, defaultCutoff == null ? null : Timestamp.from(defaultCutoff));
      ps.setInt(4, limit);
      List<Due> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> keys = new ArrayList<>();
          JsonNode result = Json.mapper().readTree(rs.getString("result"));
          result.path("images").forEach(i -> keys.add(i.path("key").asText()));
          out.add(
              new Due(
                  rs.getObject("id", UUID.class),
                  rs.getString("tenant"),
                  keys,
                  JobRows.instant(rs, "finished_at")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw SqlErrors.translate("find expired results", e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable result JSON", e);
    }
  }

  @Override
  public boolean markExpired(UUID jobId, Instant at) {
    String sql =
        "UPDATE jobs j SET result = j.result || jsonb_build_object('expired_at', ?::text),"
            + " updated_at = ? WHERE j.id = ? AND "
            + STORED;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, at.toString());
      ps.setTimestamp(2, Timestamp.from(clock.instant()));
      ps.setObject(3, jobId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw SqlErrors.translate("mark result expired", e);
    }
  }
}
