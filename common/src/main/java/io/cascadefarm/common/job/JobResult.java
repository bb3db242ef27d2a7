package io.cascadefarm.common.job;

import java.util.List;

/** What a succeeded job produced. */
public record JobResult(List<ResultImage> images) {
  public JobResult {
    images = List.copyOf(images);
  }
}
