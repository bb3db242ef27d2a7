package io.cascadefarm.dispatcher.relay;

import io.cascadefarm.common.port.JobStore;
import java.time.Instant;
import java.util.List;

/**
 * Where the relay reads due outbox rows. The port's {@link JobStore#pendingOutbox} gives only job
 * ids; a store that can also give each job's batch key (the JDBC store's {@code pendingJobs}) saves
 * the relay a lookup per job.
 */
@FunctionalInterface
public interface OutboxSource {

  /**
   * A due row; {@code batchKey} null when the source does not know it; {@code triedBy} the workers
   * that claimed the job before (oldest first; empty on a first attempt or when unknown).
   */
  record Due(
      long outboxId, java.util.UUID jobId, String batchKey, List<String> triedBy, String priority) {
    public Due {
      triedBy = triedBy == null ? List.of() : triedBy;
    }

    public Due(long outboxId, java.util.UUID jobId, String batchKey, List<String> triedBy) {
      this(outboxId, jobId, batchKey, triedBy, null);
    }

    public Due(long outboxId, java.util.UUID jobId, String batchKey) {
      this(outboxId, jobId, batchKey, List.of());
    }
  }

  List<Due> due(Instant now, int limit);

  static OutboxSource of(JobStore store) {
    return (now, limit) ->
        store.pendingOutbox(now, limit).stream()
            .map(m -> new Due(m.id(), m.jobId(), null))
            .toList();
  }
}
