package io.cascadefarm.common.topic;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A progress or status event on the events topic (key = job id). {@code type} is {@code progress}
 * or {@code status}; the dispatcher relays them as Server-Sent Events.
 */
public record JobEventMessage(
    String type,
    UUID jobId,
    UUID batchId,
    String tenant,
    JobStatus status,
    JobProgress progress,
    JobError error,
    String worker,
    Instant at) {

  public static final String PROGRESS = "progress";
  public static final String STATUS = "status";
}
