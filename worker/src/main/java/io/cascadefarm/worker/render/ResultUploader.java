package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.RenderedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Uploads a job's PNGs under deterministic keys {@code results/<jobId>/<epoch>/<n>.png} (n from 0):
 * the lease's fencing epoch, which every claim increments and nothing resets, so a repeated upload
 * under the same lease overwrites instead of duplicating, and no other claim ever writes there: not
 * a later attempt after a release (which gives the attempt back) nor after a user's retry (which
 * resets {@code attempts}). A late worker of an earlier claim can only write under its own epoch,
 * never into the keys the job's result references. For a job never released or retried the epoch
 * equals the attempt number.
 */
public final class ResultUploader {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ResultUploader.class);
  private final ObjectStore objects;
  private final Retrier retrier;

  public ResultUploader(ObjectStore objects, Retrier retrier) {
    this.objects = objects;
    this.retrier = retrier;
  }

  public static String key(UUID jobId, long epoch, int n) {
    return key(jobId, epoch, n, "png");
  }

  /**
   * The key of result {@code n} with extension {@code format} (png, or safetensors for a prior).
   */
  public static String key(UUID jobId, long epoch, int n, String format) {
    return "results/" + jobId + "/" + epoch + "/" + n + "." + format;
  }

  /**
   * Writes job {@code jobId}'s latest live preview over the previous one ({@link LivePreview#key}),
   * once and without retries: a preview is best effort and must not hold up the render. False
   * (logged) when the store refused it.
   */
  public boolean uploadPreview(UUID jobId, byte[] png) {
    try {
      objects.put(LivePreview.key(jobId), png, "image/png");
      return true;
    } catch (RuntimeException e) {
      LOG.debug("preview of job {} not stored: {}", jobId, e.toString());
      return false;
    }
  }

  /**
   * Uploads under the lease's epoch; each result records the length and SHA-256 of the very bytes
   * stored.
   */
  public List<ResultImage> upload(UUID jobId, long epoch, List<RenderedImage> images) {
    List<ResultImage> out = new ArrayList<>();
    for (int n = 0; n < images.size(); n++) {
      RenderedImage img = images.get(n);
      String key = key(jobId, epoch, n, img.format());
      byte[] content = img.png();
      try {
        retrier.run("upload " + key, () -> objects.put(key, content, img.contentType()));
      } catch (RuntimeException e) {
        throw new StorageException("cannot upload " + key + ": " + e, e);
      }
      out.add(ResultImage.stored(key, img.width(), img.height(), img.seed(), content));
    }
    return out;
  }
}
