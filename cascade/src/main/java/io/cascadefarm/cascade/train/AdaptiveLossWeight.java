package io.cascadefarm.cascade.train;

import java.util.Arrays;

/**
 * gdf {@code AdaptiveLossWeight(logsnr_range=[-10, 10], buckets=300, weight_range=[1e-7, 1e7])}:
 * boundaries {@code linspace(-10, 10, 299)} (float32, torch's two-sided formula), a sample's bucket
 * is {@code searchsorted(boundaries, logSNR)} (left), its weight {@code 1 / bucket_loss} clamped;
 * after each forward the buckets of the batch move towards the raw losses with beta 0.99 (for a
 * bucket hit twice in one batch the last sample wins, as the indexed assignment does). The state is
 * saved with checkpoints ({@code info.json}'s {@code adaptive_loss} officially).
 */
public final class AdaptiveLossWeight implements LossWeight {
  public static final int BUCKETS = 300;
  private static final float LO = -10f;
  private static final float HI = 10f;
  private static final float W_MIN = 1e-7f;
  private static final float W_MAX = 1e7f;
  private static final float BETA = 0.99f;

  private final float[] ranges;
  private final float[] losses;

  public AdaptiveLossWeight() {
    this(linspace(LO, HI, BUCKETS - 1), filled(BUCKETS, 1f));
  }

  public AdaptiveLossWeight(float[] bucketRanges, float[] bucketLosses) {
    if (bucketLosses.length != bucketRanges.length + 1) {
      throw new IllegalArgumentException("need one more bucket loss than boundaries");
    }
    this.ranges = bucketRanges.clone();
    this.losses = bucketLosses.clone();
  }

  static float[] linspace(float start, float end, int steps) {
    float step = (end - start) / (steps - 1);
    float[] out = new float[steps];
    int halfway = steps / 2;
    for (int i = 0; i < steps; i++) {
      out[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
    }
    return out;
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }

  private int bucket(float x) {
    int lo = 0;
    int hi = ranges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ranges[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public float[] weight(float[] logSnr) {
    float[] w = new float[logSnr.length];
    for (int i = 0; i < w.length; i++) {
      float v = 1f / losses[bucket(logSnr[i])];
      w[i] = Math.min(Math.max(v, W_MIN), W_MAX);
    }
    return w;
  }

  @Override
  public void update(float[] logSnr, float[] loss) {
    float[] old = losses.clone();
    for (int i = 0; i < logSnr.length; i++) {
      int b = bucket(logSnr[i]);
      losses[b] = old[b] * BETA + loss[i] * (1f - BETA);
    }
  }

  public float[] bucketRanges() {
    return ranges.clone();
  }

  public float[] bucketLosses() {
    return losses.clone();
  }
}
