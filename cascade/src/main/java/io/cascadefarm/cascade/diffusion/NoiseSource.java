package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where the sampler's Gaussian noise comes from: the initial latent (when no {@code x_init} is
 * given) and the fresh DDPM noise of every step. {@link SeededNoise} is the production source;
 * parity fixtures inject the recorded tensors.
 */
public interface NoiseSource {

  /** Standard normal noise of {@code shape} for the initial latent, created in {@code manager}. */
  NDArray initial(NDManager manager, Shape shape);

  /** Standard normal noise of {@code shape} drawn by DDPM step {@code step} (0-based). */
  NDArray step(NDManager manager, Shape shape, int step);
}
