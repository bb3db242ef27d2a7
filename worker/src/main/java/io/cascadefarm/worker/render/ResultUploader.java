package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.RenderedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Uploads a job's PNGs under deterministic keys {@code results/<jobId>/<attempt>/<n>.png} (n from
 * 0), so a repeated upload of the same attempt overwrites instead of duplicating. Objects of an
 * attempt whose lease turned out stale stay under that attempt's key; only the succeeded attempt's
 * keys are referenced by the job's result.
 */
public final class ResultUploader {
  private final ObjectStore objects;
  private final Retrier retrier;

  public ResultUploader(ObjectStore objects, Retrier retrier) {
    this.objects = objects;
    this.retrier = retrier;
  }

  public static String key(UUID jobId, int attempt, int n) {
    return key(jobId, attempt, n, "png");
  }

  /**
   * The key of result {@code n} with extension {@code format} (png, or safetensors for a prior).
   */
  public static String key(UUID jobId, int attempt, int n, String format) {
    return "results/" + jobId + "/" + attempt + "/" + n + "." + format;
  }

  public List<ResultImage> upload(UUID jobId, int attempt, List<RenderedImage> images) {
    List<ResultImage> out = new ArrayList<>();
    for (int n = 0; n < images.size(); n++) {
      RenderedImage img = images.get(n);
      String key = key(jobId, attempt, n, img.format());
      try {
        retrier.run("upload " + key, () -> objects.put(key, img.png(), img.contentType()));
      } catch (RuntimeException e) {
        throw new StorageException("cannot upload " + key + ": " + e, e);
      }
      out.add(new ResultImage(key, img.width(), img.height(), img.seed()));
    }
    return out;
  }
}
