package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.port.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as {@code GET /v1/jobs/{id}} shows it, with presigned URLs for its result images. */
public record JobView(
    UUID id,
    UUID batchId,
    JobStatus status,
    JobKind kind,
    JobParams params,
    int attempts,
    int maxAttempts,
    JobProgress progress,
    ResultView result,
    JobError error,
    String worker,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant leaseExpiresAt) {

  /** The images of a succeeded job. */
  public record ResultView(List<ImageView> images) {}

  /** One result image with a URL valid for the presign TTL. */
  public record ImageView(String key, String url, int width, int height, long seed) {}

  public static JobView of(Job j, ObjectStore objects, Duration ttl) {
    ResultView result = null;
    if (j.result() != null) {
      result =
          new ResultView(j.result().images().stream().map(i -> image(i, objects, ttl)).toList());
    }
    return new JobView(
        j.id(),
        j.batchId(),
        j.status(),
        j.kind(),
        j.params(),
        j.attempts(),
        j.maxAttempts(),
        j.progress(),
        result,
        j.error(),
        j.worker(),
        j.createdAt(),
        j.updatedAt(),
        j.startedAt(),
        j.finishedAt(),
        j.leaseExpiresAt());
  }

  private static ImageView image(ResultImage i, ObjectStore objects, Duration ttl) {
    return new ImageView(
        i.key(), objects.presignGet(i.key(), ttl).toString(), i.width(), i.height(), i.seed());
  }
}
