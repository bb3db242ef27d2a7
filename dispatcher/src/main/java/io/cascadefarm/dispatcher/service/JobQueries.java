package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.dispatcher.api.ApiException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Reads, cancels and retries jobs and batches of one tenant. Unknown or malformed ids, and other
 * tenants' ids, are all 404 so ids do not leak.
 */
public final class JobQueries {
  public static final int DEFAULT_PAGE = 100;
  public static final int MAX_PAGE = 1000;
  private final JobStore store;
  private final ObjectStore objects;
  private final Duration presignTtl;
  private final JobView.ImageUrls urls;
  private final boolean proxy;

  public JobQueries(JobStore store, ObjectStore objects, Duration presignTtl) {
    this(store, objects, presignTtl, false);
  }

  /**
   * {@code proxy}: result URLs point at the API's {@code /v1/jobs/{id}/images/{n}} (which streams
   * the object) instead of presigned S3 URLs.
   */
  public JobQueries(JobStore store, ObjectStore objects, Duration presignTtl, boolean proxy) {
    this.store = store;
    this.objects = objects;
    this.presignTtl = presignTtl;
    this.proxy = proxy;
    this.urls =
        proxy ? JobView.ImageUrls.proxied() : JobView.ImageUrls.presigned(objects, presignTtl);
  }

  public JobView job(String id, String tenant) {
    return view(findJob(id, tenant));
  }

  public BatchView batch(String id, String tenant) {
    return BatchView.of(findBatch(id, tenant));
  }

  public JobPage batchJobs(String id, String tenant, String status, String limit, String after) {
    JobStatus st = status == null || status.isEmpty() ? null : parseStatus(status);
    int n = parseLimit(limit);
    UUID cursor = null;
    if (after != null && !after.isEmpty()) {
      cursor = Ids.parse(after);
      if (cursor == null) {
        throw ApiException.invalidField("after", "must be the next cursor of a previous page");
      }
    }
    UUID batch = findBatch(id, tenant).id();
    UUID from = cursor;
    List<Job> page = StoreGuard.call("list", () -> store.listBatchJobs(batch, tenant, st, n, from));
    String next = page.size() == n ? page.get(page.size() - 1).id().toString() : null;
    return new JobPage(page.stream().map(this::view).toList(), next);
  }

  /** Cancels a queued or running job; 409 when it already finished. */
  public JobView cancel(String id, String tenant) {
    Job job = findJob(id, tenant);
    boolean done = StoreGuard.call("cancel", () -> store.cancel(job.id(), tenant));
    Job now = findJob(id, tenant);
    if (!done && now.status() != JobStatus.CANCELLED) {
      throw ApiException.conflict(
          "status", "the job is " + now.status().wire() + " and can no longer be cancelled");
    }
    return view(now);
  }

  public int cancelBatch(String id, String tenant) {
    UUID batch = findBatch(id, tenant).id();
    return StoreGuard.call("cancel batch", () -> store.cancelBatch(batch, tenant));
  }

  public int retry(String id, String tenant, boolean includeCancelled) {
    UUID job = findJob(id, tenant).id();
    return StoreGuard.call("retry", () -> store.retry(job, tenant, includeCancelled));
  }

  public int retryBatch(String id, String tenant, boolean includeCancelled) {
    UUID batch = findBatch(id, tenant).id();
    return StoreGuard.call("retry batch", () -> store.retryBatch(batch, tenant, includeCancelled));
  }

  /**
   * The URL of result image {@code n} (0-based) of a succeeded job: presigned, or the API's
   * streaming route in proxy mode. 410 once the sweeper deleted the result.
   */
  public URI imageUrl(String id, String tenant, String n) {
    int index = index(n);
    Job job = findJob(id, tenant);
    ResultImage image = resultImage(job, index);
    return URI.create(urls.url(job, index, image));
  }

  /** The PNG bytes of result image {@code n} (proxy mode's route); 410 once expired. */
  public byte[] imageBytes(String id, String tenant, String n) {
    int index = index(n);
    Job job = findJob(id, tenant);
    ResultImage image = resultImage(job, index);
    return StoreGuard.call("read image", () -> objects.get(image.key()))
        .orElseThrow(
            () ->
                new ApiException(
                    410,
                    "expired",
                    "the image of job " + job.id() + " is no longer stored",
                    List.of(new io.cascadefarm.dispatcher.api.FieldError("n", "gone")),
                    0));
  }

  /**
   * The latest live preview of a job that asked for them ({@code preview_every}): its PNG bytes.
   * 404 naming {@code preview} when the job did not ask or no preview is stored yet (or any more:
   * it expires with the job's results).
   */
  public byte[] preview(String id, String tenant) {
    Job job = findJob(id, tenant);
    Integer every = job.params() == null ? null : job.params().previewEvery();
    if (every == null || every <= 0) {
      throw ApiException.notFound(
          "preview", "job " + job.id() + " did not ask for live previews (preview_every)");
    }
    return StoreGuard.call("read preview", () -> objects.get(LivePreview.key(job.id())))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "preview",
                    "job "
                        + job.id()
                        + " has no preview yet (the first comes after Stage C step "
                        + every
                        + " of a running attempt)"));
  }

  /**
   * A preview event from the events topic with a fresh URL of its image: presigned (valid for the
   * presign TTL), or the API's {@code /v1/jobs/{id}/preview} in proxy mode. Other events as given.
   */
  public JobEventMessage withPreviewUrl(JobEventMessage e) {
    if (e.preview() == null || e.jobId() == null) {
      return e;
    }
    String url =
        proxy
            ? "/v1/jobs/" + e.jobId() + "/preview"
            : objects.presignGet(LivePreview.key(e.jobId()), presignTtl).toString();
    return e.withPreview(e.preview().withUrl(url));
  }

  private static int index(String n) {
    int index = 0;
    if (n != null && !n.isEmpty()) {
      try {
        index = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0) {
        throw ApiException.invalidField("n", "must be a non-negative integer image index");
      }
    }
    return index;
  }

  private static ResultImage resultImage(Job job, int index) {
    if (job.result() == null || job.result().images().isEmpty()) {
      throw ApiException.conflict(
          "status", "the job is " + job.status().wire() + " and has no image yet");
    }
    if (job.result().expired()) {
      throw new ApiException(
          410,
          "expired",
          "the results of job "
              + job.id()
              + " expired at "
              + job.result().expiredAt()
              + " (farm.results.ttl) and were deleted",
          List.of(new io.cascadefarm.dispatcher.api.FieldError("result", "expired")),
          0);
    }
    List<ResultImage> images = job.result().images();
    if (index >= images.size()) {
      throw ApiException.notFound(
          "n", "the job has " + images.size() + " image(s), index " + index + " does not exist");
    }
    return images.get(index);
  }

  public JobView view(Job j) {
    return JobView.of(j, urls);
  }

  private Job findJob(String id, String tenant) {
    UUID uuid = Ids.parse(id);
    if (uuid == null) {
      throw ApiException.notFound("id", "no job with id " + clip(id));
    }
    return StoreGuard.call("find job", () -> store.find(uuid, tenant))
        .orElseThrow(() -> ApiException.notFound("id", "no job with id " + uuid));
  }

  private BatchSummary findBatch(String id, String tenant) {
    UUID uuid = Ids.parse(id);
    if (uuid == null) {
      throw ApiException.notFound("id", "no batch with id " + clip(id));
    }
    return StoreGuard.call("find batch", () -> store.batch(uuid, tenant))
        .orElseThrow(() -> ApiException.notFound("id", "no batch with id " + uuid));
  }

  private static JobStatus parseStatus(String s) {
    try {
      return JobStatus.fromWire(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("status", e.getMessage());
    }
  }

  private static int parseLimit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_PAGE;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiException.invalidField("limit", "must be an integer between 1 and " + MAX_PAGE);
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return "'" + t.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}
