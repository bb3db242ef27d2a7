package io.cascadefarm.db;

import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** A user's cancel and retry of a job or of a whole batch, each one {@link Move}. */
final class UserCommands {
  private final Transactions tx;
  private final Clock clock;

  UserCommands(Transactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  boolean cancel(UUID jobId, String tenant) {
    return cancelWhere("cancel " + jobId, "id = ? AND tenant = ?", jobId, tenant) == 1;
  }

  int cancelBatch(UUID batchId, String tenant) {
    return cancelWhere("cancel batch " + batchId, "batch_id = ? AND tenant = ?", batchId, tenant);
  }

  private int cancelWhere(String what, String selector, UUID id, String tenant) {
    Instant now = Sql.now(clock);
    Move move =
        new Move(JobEvent.CANCEL)
            .where(selector, id, tenant)
            .set("lease_expires_at = NULL, finished_at = ?", now)
            .by(null, "cancelled by the user");
    return tx.inTx(what, c -> move.run(c, now)).size();
  }

  int retry(UUID jobId, String tenant, boolean includeCancelled) {
    return retryWhere("retry " + jobId, "id = ? AND tenant = ?", jobId, tenant, includeCancelled);
  }

  int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    return retryWhere(
        "retry batch " + batchId, "batch_id = ? AND tenant = ?", batchId, tenant, includeCancelled);
  }

  private int retryWhere(String what, String selector, UUID id, String tenant, boolean cancelled) {
    Instant now = Sql.now(clock);
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
    return tx.inTx(what, c -> move.run(c, now)).size();
  }
}
