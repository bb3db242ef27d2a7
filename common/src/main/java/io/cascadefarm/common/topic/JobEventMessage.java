package io.cascadefarm.common.topic;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.LivePreview;
import java.time.Instant;
import java.util.UUID;

/**
 * A progress, preview or status event on the events topic (key = job id). {@code type} is {@code
 * progress}, {@code preview} (with {@code preview}) or {@code status}; the dispatcher relays them
 * as Server-Sent Events.
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
    Instant at,
    LivePreview preview) {

  public static final String PROGRESS = "progress";
  public static final String PREVIEW = "preview";
  public static final String STATUS = "status";

  /** A progress or status event (no preview). */
  public JobEventMessage(
      String type,
      UUID jobId,
      UUID batchId,
      String tenant,
      JobStatus status,
      JobProgress progress,
      JobError error,
      String worker,
      Instant at) {
    this(type, jobId, batchId, tenant, status, progress, error, worker, at, null);
  }

  /** Progress and preview events may be dropped for a slow reader; status events never. */
  public boolean droppable() {
    return PROGRESS.equals(type) || PREVIEW.equals(type);
  }

  /** This event with {@code p} as its preview. */
  public JobEventMessage withPreview(LivePreview p) {
    return new JobEventMessage(
        type, jobId, batchId, tenant, status, progress, error, worker, at, p);
  }
}
