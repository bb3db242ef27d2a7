package io.cascadefarm.common.job;

import java.util.UUID;

/**
 * The latest live preview of a running job ({@code preview_every}): rendered after Stage C step
 * {@code step} of {@code steps}, {@code width x height} pixels, stored under {@link #key} (one
 * object per job, overwritten by each newer preview; under {@code results/<job>/}, so it expires
 * with the job's results). {@code url} is null on the events topic; the dispatcher sets a fresh one
 * when it relays the event.
 */
public record LivePreview(int step, int steps, int width, int height, String key, String url) {

  /** The object key of job {@code jobId}'s latest preview. */
  public static String key(UUID jobId) {
    return "results/" + jobId + "/preview.png";
  }

  public LivePreview withUrl(String newUrl) {
    return new LivePreview(step, steps, width, height, key, newUrl);
  }
}
