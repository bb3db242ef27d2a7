package io.cascadefarm.cascade.tools.numerics;

import java.util.SplittableRandom;

/** Deterministic probe inputs: every probe draws its tensors from its own seed. */
final class ProbeData {
  private final SplittableRandom random;

  ProbeData(long seed) {
    random = new SplittableRandom(seed);
  }

  /** {@code n} normal values times {@code scale}. */
  float[] normal(int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i += 2) {
      double u1 = 1 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1));
      v[i] = (float) (scale * r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < n) {
        v[i + 1] = (float) (scale * r * Math.sin(2 * Math.PI * u2));
      }
    }
    return v;
  }

  /** {@code n} uniform values in [lo, hi). */
  float[] uniform(int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return v;
  }
}
