package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code F.interpolate(x, size, mode="bilinear", align_corners=False, antialias=True)} (what
 * torchvision's {@code Resize(antialias=True)} runs on tensors), as two separable resampling
 * matmuls. When shrinking, the triangle filter is widened by the scale factor (support = scale),
 * exactly like PyTorch's {@code _upsample_bilinear2d_aa}; when enlarging it is plain bilinear.
 */
public final class AntialiasResize {
  private AntialiasResize() {}

  /** Resizes an NCHW float tensor to (h, w). */
  public static NDArray resize(NDArray x, int h, int w) {
    Shape s = x.getShape();
    int inH = (int) s.get(2);
    int inW = (int) s.get(3);
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException(
          "resize: target size must be positive, got " + h + "x" + w);
    }
    NDArray out = x;
    if (inW != w) {
      NDArray mw = x.getManager().create(weights(inW, w), new Shape(w, inW));
      out = out.matMul(mw.transpose());
    }
    if (inH != h) {
      NDArray mh = x.getManager().create(weights(inH, h), new Shape(h, inH));
      out = mh.matMul(out);
    }
    return out == x ? x.duplicate() : out;
  }

  /** Row-major (out x in) weights: output pixel i mixes input pixels with the triangle filter. */
  static float[] weights(int in, int out) {
    float[] m = new float[out * in];
    double scale = (double) in / out;
    double support = scale >= 1 ? scale : 1.0;
    double invScale = scale >= 1 ? 1 / scale : 1.0;
    for (int i = 0; i < out; i++) {
      double center = scale * (i + 0.5);
      int lo = Math.max((int) (center - support + 0.5), 0);
      int hi = Math.min((int) (center + support + 0.5), in);
      double total = 0;
      double[] w = new double[Math.max(hi - lo, 0)];
      for (int j = lo; j < hi; j++) {
        double t = Math.abs((j - center + 0.5) * invScale);
        w[j - lo] = t < 1 ? 1 - t : 0;
        total += w[j - lo];
      }
      for (int j = lo; j < hi; j++) {
        m[i * in + j] = (float) (total == 0 ? 0 : w[j - lo] / total);
      }
    }
    return m;
  }
}
