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

/**
 * A job as {@code GET /v1/jobs/{id}} shows it, with a URL per result image: presigned for the
 * public S3 endpoint, or the API's own {@code /v1/jobs/{id}/images/{n}} in proxy mode. A result
 * deleted by the sweeper ({@code farm.results.ttl}) keeps its metadata, says {@code expired: true}
 * and has no URLs.
 */
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
    Instant leaseExpiresAt,
    Long queuePosition,
    Long etaSeconds) {

  /**
   * This view with a queued job's estimate: {@code queuePosition} queued jobs of the farm run
   * before it (by lane order; counted up to 100,000), {@code etaSeconds} until it starts at the
   * farm's throughput of the last 10 minutes (null when nothing finished in that time).
   */
  public JobView withQueue(long position, Long eta) {
    return new JobView(
        id,
        batchId,
        status,
        kind,
        params,
        attempts,
        maxAttempts,
        progress,
        result,
        error,
        worker,
        createdAt,
        updatedAt,
        startedAt,
        finishedAt,
        leaseExpiresAt,
        position,
        eta);
  }

  /** The images of a succeeded job; {@code expired} once the sweeper deleted them. */
  public record ResultView(
      List<ImageView> images,
      boolean expired,
      Instant expiredAt,
      io.cascadefarm.common.job.TrainedLora lora,
      Double loss,
      Long steps,
      io.cascadefarm.common.job.TrainedModel model) {
    public ResultView(List<ImageView> images, boolean expired, Instant expiredAt) {
      this(images, expired, expiredAt, null, null, null, null);
    }
  }

  /**
   * One result image with a URL valid for the presign TTL (or the API path in proxy mode); no URL
   * once expired. {@code bytes} and {@code sha256} describe the stored object (absent for results
   * stored before workers recorded them).
   */
  public record ImageView(
      String key, String url, int width, int height, long seed, Long bytes, String sha256) {}

  /** How a view makes the URL of image {@code n} of a job. */
  @FunctionalInterface
  public interface ImageUrls {
    String url(Job job, int n, ResultImage image);

    /** Presigned S3 URLs, valid for {@code ttl}. */
    static ImageUrls presigned(ObjectStore objects, Duration ttl) {
      return (job, n, image) -> objects.presignGet(image.key(), ttl).toString();
    }

    /** The API's own streaming route (proxy mode). */
    static ImageUrls proxied() {
      return (job, n, image) -> "/v1/jobs/" + job.id() + "/images/" + n;
    }
  }

  public static JobView of(Job j, ObjectStore objects, Duration ttl) {
    return of(j, ImageUrls.presigned(objects, ttl));
  }

  public static JobView of(Job j, ImageUrls urls) {
    ResultView result = null;
    if (j.result() != null) {
      List<ResultImage> images = j.result().images();
      boolean expired = j.result().expired();
      List<ImageView> views = new java.util.ArrayList<>();
      for (int n = 0; n < images.size(); n++) {
        ResultImage i = images.get(n);
        views.add(
            new ImageView(
                i.key(),
                expired ? null : urls.url(j, n, i),
                i.width(),
                i.height(),
                i.seed(),
                i.bytes(),
                i.sha256()));
      }
      result =
          new ResultView(
              views,
              expired,
              j.result().expiredAt(),
              j.result().lora(),
              j.result().loss(),
              j.result().steps(),
              j.result().model());
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
        j.leaseExpiresAt(),
        null,
        null);
  }
}
