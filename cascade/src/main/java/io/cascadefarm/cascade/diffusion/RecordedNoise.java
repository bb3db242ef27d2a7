package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Replays noise captured from the reference run (parity fixtures: {@code x_init} and {@code
 * stepK.noise}). Each request returns a copy in the caller's manager; shapes must match.
 */
public final class RecordedNoise implements NoiseSource {
  private final NDArray initial;
  private final List<NDArray> steps;

  /**
   * @param initial the recorded initial latent, or null when the run always gets an x_init
   * @param steps the recorded noise of step 0, 1, ...
   */
  public RecordedNoise(NDArray initial, List<NDArray> steps) {
    this.initial = initial;
    this.steps = List.copyOf(steps);
  }

  @Override
  public NDArray initial(NDManager manager, Shape shape) {
    if (initial == null) {
      throw new IllegalStateException("no recorded initial noise");
    }
    return copy(initial, manager, shape, "initial noise");
  }

  @Override
  public NDArray step(NDManager manager, Shape shape, int step) {
    if (step >= steps.size()) {
      throw new IllegalStateException(
          "no recorded noise for step " + step + " (have " + steps.size() + ")");
    }
    return copy(steps.get(step), manager, shape, "noise of step " + step);
  }

  private static NDArray copy(NDArray source, NDManager manager, Shape shape, String what) {
    if (!source.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          "recorded " + what + " has shape " + source.getShape() + ", sampler wants " + shape);
    }
    return manager.create(source.toFloatArray(), shape);
  }
}
