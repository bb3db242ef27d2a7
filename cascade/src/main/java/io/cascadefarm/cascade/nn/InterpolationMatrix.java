package io.cascadefarm.cascade.nn;

/**
 * 1-D resampling weights (out x in, row-major) reproducing PyTorch's CPU linear and cubic
 * upsampling index/lambda computation in float32 (cubic: A = -0.75, border indices clamped). 2-D
 * bilinear/bicubic resampling is separable, so {@link Resample} applies one matrix per axis.
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
