package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Deterministic Gaussian noise with one seed per batch row: row {@code i} of every tensor depends
 * only on {@code seeds[i]}, the stream name and the step, so a request renders the same pixels
 * whether it runs alone or batched with others. Generated in Java ({@link SplittableRandom}), hence
 * independent of thread count and native library.
 */
public final class SeededNoise implements NoiseSource {
  private static final int INITIAL = -1;

  private final long[] seeds;
  private final long stream;

  /**
   * @param seeds one seed per batch row
   * @param streamName separates independent uses of the same seed (e.g. "prior", "decoder")
   */
  public SeededNoise(long[] seeds, String streamName) {
    this.seeds = seeds.clone();
    this.stream = streamName.hashCode() * 0x9E3779B97F4A7C15L;
  }

  @Override
  public NDArray initial(NDManager manager, Shape shape) {
    return draw(manager, shape, INITIAL);
  }

  @Override
  public NDArray step(NDManager manager, Shape shape, int step) {
    return draw(manager, shape, step);
  }

  /** Noise of {@code shape} for draw {@code index}; row i uses only {@code seeds[i]}. */
  public NDArray draw(NDManager manager, Shape shape, int index) {
    int rows = Math.toIntExact(shape.get(0));
    if (rows != seeds.length) {
      throw new IllegalArgumentException(
          "noise shape " + shape + " has " + rows + " rows but " + seeds.length + " seeds");
    }
    int perRow = Math.toIntExact(shape.size() / rows);
    float[] data = new float[rows * perRow];
    for (int r = 0; r < rows; r++) {
      SplittableRandom random = new SplittableRandom(mix(seeds[r], index));
      for (int k = 0; k < perRow; k++) {
        data[r * perRow + k] = (float) random.nextGaussian();
      }
    }
    return manager.create(data, shape);
  }

  private long mix(long seed, int index) {
    long z = seed ^ stream ^ ((index + 2L) * 0xBF58476D1CE4E5B9L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
