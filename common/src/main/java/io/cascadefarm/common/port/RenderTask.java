package io.cascadefarm.common.port;

import io.cascadefarm.common.job.JobParams;
import java.util.Map;
import java.util.UUID;

/**
 * One job handed to a {@link Renderer}: resolved params plus the bytes of its input images (keyed
 * by the upload key named in the params).
 */
public record RenderTask(UUID jobId, int attempt, JobParams params, Map<String, byte[]> inputs) {
  public RenderTask {
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
  }
}
