package io.cascadefarm.common.job;

import java.time.Instant;
import java.util.List;

/**
 * What a succeeded job produced. {@code expiredAt} is set once the result sweeper deleted the
 * images' objects ({@code farm.results.ttl}): the metadata stays, the images are gone.
 */
public record JobResult(List<ResultImage> images, Instant expiredAt) {
  public JobResult {
    images = List.copyOf(images);
  }

  public JobResult(List<ResultImage> images) {
    this(images, null);
  }

  /** True when the images were deleted by the result sweeper. */
  public boolean expired() {
    return expiredAt != null;
  }
}
