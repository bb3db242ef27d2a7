package io.cascadefarm.db;

import io.cascadefarm.common.topic.JobMessage;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * The {@code outbox} table: jobs to (re)publish. A relay claims due rows by pushing {@code
 * available_at} {@code claimTime} into the future (so a crashed relay's rows come back) and deletes
 * them only once Kafka acknowledged.
 */
final class OutboxTable {
  private final Transactions tx;
  private final Duration claimTime;

  OutboxTable(Transactions tx, Duration claimTime) {
    this.tx = tx;
    this.claimTime = claimTime;
  }

  List<PendingJob> pending(Instant now, int limit) {
    Sql.requireLimit(limit);
    Instant at = Sql.truncate(now);
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
        c ->
            Sql.list(
                c,
                sql,
                rs ->
                    new PendingJob(
                        rs.getLong("id"),
                        new JobMessage(
                            rs.getObject("job_id", UUID.class),
                            rs.getString("batch_key"),
                            triedBy(rs.getArray("tried_by")),
                            rs.getString("priority"))),
                at,
                limit,
                at.plus(claimTime)));
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

  void markPublished(List<Long> outboxIds) {
    if (outboxIds.isEmpty()) {
      return;
    }
    Long[] ids = outboxIds.toArray(new Long[0]);
    tx.inTx(
        "delete published outbox rows",
        c -> Sql.update(c, "DELETE FROM outbox WHERE id = ANY(?)", (Object) ids));
  }
}
