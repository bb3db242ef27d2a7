package io.cascadefarm.common.job;

import java.time.Instant;
import java.util.UUID;

/**
 * A job as the store holds it. {@code epoch} is the fencing token: it grows on every claim, and a
 * worker's writes only count while its epoch is current.
 */
public record Job(
    UUID id,
    UUID batchId,
    String tenant,
    JobStatus status,
    JobParams params,
    int attempts,
    int maxAttempts,
    long epoch,
    JobProgress progress,
    JobResult result,
    JobError error,
    String worker,
    Instant leaseExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt) {

  public JobKind kind() {
    return params.kind();
  }
}
