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

  /**
   * The renderer this one decorates, unwrapped all the way down (a decorator returns its delegate's
   * {@code unwrapped()}); itself when it decorates none. The worker asks it for the models behind a
   * decorated renderer (the training lane, the model reporter).
   */
  default Renderer unwrapped() {
    return this;
  }

  /**
   * Checks, once, that this renderer's native kernels compute correct numbers on this host; a
   * worker calls it before it takes any job and takes none when it fails. Slow (seconds): call it
   * off latency-sensitive threads. Renderers computing nothing natively need not override it.
   */
  default NumericsCheck checkNumerics() {
    return NumericsCheck.notNeeded(getClass().getSimpleName() + " runs no native kernels");
  }

  /**
   * The compute precision ({@code fp32}, {@code fp16}, {@code bf16}, {@code auto}) a group of
   * {@code model} renders at, or null where the renderer does not know (the worker then labels its
   * metrics with {@code farm.worker.precision}).
   */
  default String precisionOf(String model) {
    return null;
  }

  /** A human-readable description of a model, e.g. to flag that {@code tiny} renders noise. */
  default String describeModel(String model) {
    return model;
  }
}
