package io.cascadefarm.common.topic;

import java.util.List;
import java.util.UUID;

/**
 * The value of a record on the jobs topic (the key is the job id). It carries only what a worker
 * needs to group jobs before claiming them; the job itself is read from the store at claim time.
 *
 * <p>{@code triedBy} lists the workers that already claimed this job (oldest first; empty on a
 * first attempt). The publisher uses it to steer a retry to a partition another worker consumes, so
 * a job that fails on one machine is tried on a different one where more than one exists.
 *
 * <p>{@code priority} ({@code high}, {@code normal}, {@code low}; null = normal) picks the lane
 * topic of a first attempt ({@link Topics#laneOf}); retries go to the retry lane whatever it is.
 */
public record JobMessage(UUID jobId, String batchKey, List<String> triedBy, String priority) {

  public JobMessage {
    triedBy = triedBy == null ? List.of() : List.copyOf(triedBy);
  }

  /** A message of the normal lane (or whose lane the sender does not know). */
  public JobMessage(UUID jobId, String batchKey, List<String> triedBy) {
    this(jobId, batchKey, triedBy, null);
  }

  /** A message for a job no worker has claimed yet. */
  public JobMessage(UUID jobId, String batchKey) {
    this(jobId, batchKey, List.of());
  }
}
