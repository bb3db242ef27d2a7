package io.cascadefarm.common.port;

import java.util.List;

/**
 * Renders a group of compatible jobs (equal {@link io.cascadefarm.common.job.JobParams#batchKey()})
 * in one batched pipeline call. Returns, per task and in task order, that task's images.
 *
 * @throws RenderException on failure (with retryability)
 * @throws RenderCancelledException when the listener asked to stop
 */
public interface Renderer {
  List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener);

  /** A human-readable description of a model, e.g. to flag that {@code tiny} renders noise. */
  default String describeModel(String model) {
    return model;
  }
}
