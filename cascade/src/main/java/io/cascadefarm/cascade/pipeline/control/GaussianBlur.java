package io.cascadefarm.cascade.pipeline.control;

/**
 * torchvision's {@code gaussian_blur(img, k)} on one plane: sigma = 0.3*((k-1)/2 - 1) + 0.8, a
 * separable normalised kernel, reflect padding (mirrored repeatedly when the kernel is wider than
 * the plane, where torchvision itself would refuse).
 */
final class GaussianBlur {
  private GaussianBlur() {}

  static float[] blur(float[] plane, int w, int h, int k) {
    float[] kernel = kernel(k);
    float[] tmp = new float[plane.length];
    float[] out = new float[plane.length];
    int r = k / 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int i = -r; i <= r; i++) {
          s += kernel[i + r] * plane[y * w + reflect(x + i, w)];
        }
        tmp[y * w + x] = (float) s;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int i = -r; i <= r; i++) {
          s += kernel[i + r] * tmp[reflect(y + i, h) * w + x];
        }
        out[y * w + x] = (float) s;
      }
    }
    return out;
  }

  static float[] kernel(int k) {
    double sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
    float[] out = new float[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double x = i - (k - 1) / 2.0;
      out[i] = (float) Math.exp(-0.5 * (x / sigma) * (x / sigma));
      sum += out[i];
    }
    for (int i = 0; i < k; i++) {
      out[i] = (float) (out[i] / sum);
    }
    return out;
  }

  /** Reflect (edge not repeated) an index into [0, n). */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }
}
