package io.cascadefarm.cascade.nn;

/**
 * 1-D resampling weights (out x in, row-major) reproducing PyTorch's CPU nearest, linear, cubic (A
 * = -0.75, border taps clamped) and area (adaptive average) index/weight rules in float32. All four
 * 2-D modes are separable, so {@link Resample} applies one matrix per axis.
 */
final class InterpolationMatrix {
  private static final float CUBIC_A = -0.75f;

  private InterpolationMatrix() {}

  static float[] linear(int in, int out, boolean alignCorners) {
    float[] m = new float[out * in];
    float scale = scale(in, out, alignCorners);
    for (int i = 0; i < out; i++) {
      float src = alignCorners ? scale * i : Math.max(scale * (i + 0.5f) - 0.5f, 0f);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      float l1 = Math.min(Math.max(src - i0, 0f), 1f);
      int i1 = i0 + (i0 < in - 1 ? 1 : 0);
      m[i * in + i0] += 1f - l1;
      m[i * in + i1] += l1;
    }
    return m;
  }

  static float[] cubic(int in, int out, boolean alignCorners) {
    float[] m = new float[out * in];
    float scale = scale(in, out, alignCorners);
    for (int i = 0; i < out; i++) {
      float src = alignCorners ? scale * i : scale * (i + 0.5f) - 0.5f;
      int i0 = (int) Math.floor(src);
      float t = src - i0;
      float[] w = {conv2(t + 1f), conv1(t), conv1(1f - t), conv2(2f - t)};
      for (int k = 0; k < 4; k++) {
        int idx = Math.min(Math.max(i0 - 1 + k, 0), in - 1);
        m[i * in + idx] += w[k];
      }
    }
    return m;
  }

  /** {@code mode='nearest'}: source index {@code min(floor(dst * (in/out)), in-1)}. */
  static float[] nearest(int in, int out) {
    float[] m = new float[out * in];
    float scale = (float) in / out;
    for (int i = 0; i < out; i++) {
      int src = Math.min((int) Math.floor(i * scale), in - 1);
      m[i * in + src] = 1f;
    }
    return m;
  }

  /**
   * {@code mode='area'} (adaptive average pooling): mean over [floor(i*in/out),
   * ceil((i+1)*in/out)).
   */
  static float[] area(int in, int out) {
    float[] m = new float[out * in];
    for (int i = 0; i < out; i++) {
      int start = (int) Math.floor((double) i * in / out);
      int end = (int) Math.ceil((double) (i + 1) * in / out);
      for (int j = start; j < end; j++) {
        m[i * in + j] = 1f / (end - start);
      }
    }
    return m;
  }

  private static float scale(int in, int out, boolean alignCorners) {
    if (alignCorners) {
      return out > 1 ? (float) (in - 1) / (out - 1) : 0f;
    }
    return (float) in / out;
  }

  private static float conv1(float x) {
    return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
  }

  private static float conv2(float x) {
    return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
  }
}
