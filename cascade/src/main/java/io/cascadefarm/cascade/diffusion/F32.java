package io.cascadefarm.cascade.diffusion;

/**
 * Float32 versions of the elementary functions torch applies to float tensors. Each result is the
 * double-precision value rounded once to float, which agrees with torch's float32 kernels to within
 * one ulp (the gdf notes require float32, not float64, schedule maths).
 */
final class F32 {
  static final float PI = (float) Math.PI;
  static final float HALF_PI = (float) (Math.PI * 0.5);

  private F32() {}

  static float cos(float x) {
    return (float) Math.cos(x);
  }

  static float acos(float x) {
    return (float) Math.acos(x);
  }

  static float log(float x) {
    return (float) Math.log(x);
  }

  static float sqrt(float x) {
    return (float) Math.sqrt(x);
  }

  /** As torch's float kernel: {@code 1 / (1 + exp(-x))} with each operation rounded to float. */
  static float sigmoid(float x) {
    float e = (float) Math.exp(-x);
    return 1f / (1f + e);
  }

  static float clamp(float x, float lo, float hi) {
    return Math.min(Math.max(x, lo), hi);
  }
}
