package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Noise from torch's CPU generator ({@link TorchRandom}), one generator per batch row seeded with
 * that row's seed: row {@code i} sees exactly what {@code torch.manual_seed(seed_i)} followed by
 * the official pipeline's draws on a batch of one would give. Every request for noise (initial
 * latent or a DDPM step, of any stage) continues the row's stream in the order it is made, as the
 * official code draws from torch's one global generator on a CPU: Stage C's {@code init_x}, the
 * noise of every Stage C step (drawn by DDIM too, multiplied by 0), then Stage B's initial latent
 * and steps. Share one instance between the stages of a render.
 */
public final class TorchNoise implements NoiseSource {
  private final TorchRandom[] rows;

  /** One generator per row, {@code torch.manual_seed(seeds[i])}. */
  public TorchNoise(long[] seeds) {
    rows = new TorchRandom[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      rows[i] = new TorchRandom(seeds[i]);
    }
  }

  @Override
  public NDArray initial(NDManager manager, Shape shape) {
    return draw(manager, shape);
  }

  @Override
  public NDArray step(NDManager manager, Shape shape, int step) {
    return draw(manager, shape);
  }

  /** The next {@code torch.randn} of one row's shape for every row, stacked in row order. */
  public NDArray draw(NDManager manager, Shape shape) {
    int n = Math.toIntExact(shape.get(0));
    if (n != rows.length) {
      throw new IllegalArgumentException(
          "noise shape " + shape + " has " + n + " rows but " + rows.length + " seeds");
    }
    int perRow = Math.toIntExact(shape.size() / n);
    float[] data = new float[n * perRow];
    for (int r = 0; r < n; r++) {
      System.arraycopy(rows[r].randn(perRow), 0, data, r * perRow, perRow);
    }
    return manager.create(data, shape);
  }
}
