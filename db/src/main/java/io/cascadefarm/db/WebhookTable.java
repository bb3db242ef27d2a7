package io.cascadefarm.db;

import static io.cascadefarm.db.SqlCalls.prepare;
import static io.cascadefarm.db.SqlCalls.update;

import io.cascadefarm.common.port.WebhookStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The PostgreSQL {@link WebhookStore}: {@code webhook_secrets} and {@code webhook_deliveries}
 * (V50). Deliveries are inserted by the triggers on {@code jobs}, in the transaction of the
 * transition; this class only claims, records and lists them. A claim pushes {@code
 * next_attempt_at} ahead (like the outbox relay's claims), so a sender that dies mid-send leaves
 * its deliveries due again after the claim time, and several dispatchers never send one delivery at
 * the same time ({@code FOR UPDATE SKIP LOCKED}).
 */
public final class WebhookTable implements WebhookStore {
  private static final String COLUMNS =
      "id, msg_id, tenant, event, url, job_id, batch_id, payload, created_at, status, attempts,"
          + " next_attempt_at, last_attempt_at, last_status, last_error, delivered_at";
  private final Transactions tx;

  public WebhookTable(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
  }

  @Override
  public Secret secret(String tenant, String fresh, Instant now) {
    return tx.inTx(
        "webhook secret of " + tenant,
        c -> {
          update(
              c,
              "INSERT INTO webhook_secrets (tenant, secret, created_at) VALUES (?, ?, ?)"
                  + " ON CONFLICT (tenant) DO NOTHING",
              tenant,
              fresh,
              micros(now));
          return read(c, tenant);
        });
  }

  @Override
  public Secret rotate(String tenant, String fresh, Instant now) {
    return tx.inTx(
        "rotate webhook secret of " + tenant,
        c -> {
          update(
              c,
              "INSERT INTO webhook_secrets AS s (tenant, secret, created_at) VALUES (?, ?, ?)"
                  + " ON CONFLICT (tenant) DO UPDATE SET previous_secret = s.secret,"
                  + " secret = EXCLUDED.secret, rotated_at = EXCLUDED.created_at",
              tenant,
              fresh,
              micros(now));
          return read(c, tenant);
        });
  }

  private static Secret read(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps =
            prepare(
                c,
                "SELECT secret, previous_secret, rotated_at FROM webhook_secrets WHERE tenant = ?",
                tenant);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Secret(
          tenant,
          rs.getString("secret"),
          rs.getString("previous_secret"),
          JobRows.instant(rs, "rotated_at"));
    }
  }

  @Override
  public List<Delivery> claimDue(Instant now, int limit, Duration claimFor) {
    Instant at = micros(now);
    String sql =
        "WITH due AS (SELECT id FROM webhook_deliveries WHERE status = 'pending'"
            + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
            + " FOR UPDATE SKIP LOCKED)"
            + " UPDATE webhook_deliveries d SET next_attempt_at = ? FROM due WHERE d.id = due.id"
            + " RETURNING "
            + prefixed("d.");
    return tx.inTx(
        "claim webhook deliveries",
        c -> {
          List<Delivery> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql, at, limit, at.plus(claimFor));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(delivery(rs));
            }
          }
          out.sort(java.util.Comparator.comparingLong(Delivery::id));
          return out;
        });
  }

  @Override
  public void succeeded(long id, int status, Instant at) {
    tx.inTx(
        "webhook delivered " + id,
        c ->
            update(
                c,
                "UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1,"
                    + " last_attempt_at = ?, last_status = ?, last_error = NULL, delivered_at = ?"
                    + " WHERE id = ? AND status = 'pending'",
                micros(at),
                status,
                micros(at),
                id));
  }

  @Override
  public void attemptFailed(long id, Integer status, String error, Instant at, Instant retryAt) {
    String clipped = error == null ? null : error.substring(0, Math.min(error.length(), 500));
    tx.inTx(
        "webhook attempt failed " + id,
        c ->
            update(
                c,
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?,"
                    + " last_status = ?, last_error = ?,"
                    + " status = CASE WHEN ?::timestamptz IS NULL THEN 'failed' ELSE status END,"
                    + " next_attempt_at = COALESCE(?::timestamptz, next_attempt_at)"
                    + " WHERE id = ? AND status = 'pending'",
                micros(at),
                status,
                clipped,
                retryAt == null ? null : micros(retryAt),
                retryAt == null ? null : micros(retryAt),
                id));
  }

  @Override
  public List<Delivery> list(String tenant, String status, Long beforeId, int limit) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM webhook_deliveries WHERE tenant = ? AND status = ?"
            + (beforeId == null ? "" : " AND id < ?")
            + " ORDER BY id DESC LIMIT ?";
    Object[] params =
        beforeId == null
            ? new Object[] {tenant, status, limit}
            : new Object[] {tenant, status, beforeId, limit};
    return tx.inTx(
        "list webhook deliveries",
        c -> {
          List<Delivery> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(delivery(rs));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<Delivery> find(String tenant, long id) {
    return tx.inTx(
        "read webhook delivery " + id,
        c -> {
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT " + COLUMNS + " FROM webhook_deliveries WHERE tenant = ? AND id = ?",
                      tenant,
                      id);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(delivery(rs)) : Optional.<Delivery>empty();
          }
        });
  }

  @Override
  public boolean redeliver(String tenant, long id, Instant now) {
    Instant at = micros(now);
    return tx.inTx(
            "redeliver webhook " + id,
            c ->
                update(
                    c,
                    "UPDATE webhook_deliveries SET status = 'pending', created_at = ?, attempts = 0,"
                        + " next_attempt_at = ? WHERE tenant = ? AND id = ? AND status = 'failed'",
                    at,
                    at,
                    tenant,
                    id))
        == 1;
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    int last = rs.getInt("last_status");
    Integer lastStatus = rs.wasNull() ? null : last;
    return new Delivery(
        rs.getLong("id"),
        rs.getString("msg_id"),
        rs.getString("tenant"),
        rs.getString("event"),
        rs.getString("url"),
        rs.getObject("job_id", UUID.class),
        rs.getObject("batch_id", UUID.class),
        rs.getString("payload"),
        JobRows.instant(rs, "created_at"),
        rs.getString("status"),
        rs.getInt("attempts"),
        JobRows.instant(rs, "next_attempt_at"),
        JobRows.instant(rs, "last_attempt_at"),
        lastStatus,
        rs.getString("last_error"),
        JobRows.instant(rs, "delivered_at"));
  }

  private static String prefixed(String p) {
    StringBuilder b = new StringBuilder();
    for (String col : COLUMNS.split(",\\s*")) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(p).append(col);
    }
    return b.toString();
  }

  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
