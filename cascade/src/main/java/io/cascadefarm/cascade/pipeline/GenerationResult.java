package io.cascadefarm.cascade.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The images of one request, the resolved base seed (image {@code i} used {@code seed + i}) and
 * wall-clock milliseconds per stage (shared by every request of a batch).
 */
public record GenerationResult(
    List<GeneratedImage> images, long seed, Map<String, Long> stageMillis) {
  public GenerationResult {
    images = List.copyOf(images);
    stageMillis = Map.copyOf(stageMillis);
  }
}
