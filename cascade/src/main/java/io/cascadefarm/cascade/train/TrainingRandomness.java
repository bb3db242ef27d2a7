package io.cascadefarm.cascade.train;

import java.util.SplittableRandom;

/**
 * The random draws of one training iteration, in the order the official trainers make them: caption
 * dropout ({@code np.random.rand(B) > 0.05} keeps a caption), the rows that get a real CLIP image
 * embedding ({@code np.random.rand(B) > 0.9}), the noise {@code epsilon ~ N(0, 1)} and the times
 * {@code t = clamp(1 - U[0,1) + 0.001, 0.001, 1)}. {@link #seeded} draws them from a seed (the
 * farm); parity tests replay recorded values.
 */
public interface TrainingRandomness {
  /** Uniform [0, 1) values for caption dropout, one per sample. */
  double[] captionUniforms(int batch);

  /** Uniform [0, 1) values for the CLIP image embedding choice, one per sample. */
  double[] imageUniforms(int batch);

  /** Training times t in (0.001, 1], one per sample. */
  float[] times(int batch);

  /** Standard normal noise, {@code n} values in row-major order. */
  float[] normal(int n);

  /**
   * Independent draws per iteration: iteration {@code i} of a job with seed {@code seed} always
   * gets the same values, so a resumed job continues the same stream.
   */
  static TrainingRandomness seeded(long seed, long iteration) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration);
    return new TrainingRandomness() {
      @Override
      public double[] captionUniforms(int batch) {
        return r.doubles(batch).toArray();
      }

      @Override
      public double[] imageUniforms(int batch) {
        return r.doubles(batch).toArray();
      }

      @Override
      public float[] times(int batch) {
        float[] t = new float[batch];
        for (int i = 0; i < batch; i++) {
          float u = (float) r.nextDouble();
          t[i] = Math.min(Math.max((1f - u) + 0.001f, 0.001f), 1f);
        }
        return t;
      }

      @Override
      public float[] normal(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
          double u1 = 1.0 - r.nextDouble();
          double u2 = r.nextDouble();
          double rad = Math.sqrt(-2.0 * Math.log(u1));
          out[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
          if (i + 1 < n) {
            out[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
          }
        }
        return out;
      }
    };
  }
}
