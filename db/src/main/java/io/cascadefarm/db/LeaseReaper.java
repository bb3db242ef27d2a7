package io.cascadefarm.db;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Running jobs whose lease expired: back to the queue while attempts are left, else failed for good
 * with {@code lease_expired}. Both moves lock at most {@code limit} rows, oldest lease first,
 * skipping rows another reaper holds.
 */
final class LeaseReaper {
  private static final JobError LEASE_EXPIRED =
      new JobError("lease_expired", "the worker's lease expired and no attempts are left", true);

  private final Transactions tx;

  LeaseReaper(Transactions tx) {
    this.tx = tx;
  }

  List<UUID> reap(Instant now, int limit) {
    Instant at = Sql.truncate(now);
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
}
