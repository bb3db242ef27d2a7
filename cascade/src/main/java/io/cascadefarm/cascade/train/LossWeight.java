package io.cascadefarm.cascade.train;

/** gdf loss weights as the trainers use them ({@code loss_shift = 1}). */
public interface LossWeight {
  /** Weight per sample for its logSNR. */
  float[] weight(float[] logSnr);

  /** Called with the raw per-sample losses after each forward (adaptive weights learn). */
  default void update(float[] logSnr, float[] loss) {}

  /** {@code P2LossWeight(k=1, gamma=1, s=1)}: {@code (1 + exp(logSNR))^-1}, float32 ops. */
  static LossWeight p2() {
    return logSnr -> {
      float[] w = new float[logSnr.length];
      for (int i = 0; i < w.length; i++) {
        float e = (float) Math.exp(logSnr[i]);
        w[i] = (float) Math.pow(1f + e, -1.0);
      }
      return w;
    };
  }
}
