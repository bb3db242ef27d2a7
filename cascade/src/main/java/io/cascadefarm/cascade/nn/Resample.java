package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Resampling ops on NCHW tensors: interpolation and pixel (un)shuffle with PyTorch ordering. */
public final class Resample {
  private Resample() {}

  /** Interpolation modes of {@code F.interpolate}. */
  public enum Mode {
    NEAREST,
    BILINEAR,
    BICUBIC,
    AREA
  }

  /**
   * {@code F.interpolate(x, size=(h, w), mode, align_corners)} on NCHW, computed as two separable
   * resampling matmuls with PyTorch's float32 index/weight rules. DJL's JNI {@code interpolate} is
   * not used: it cannot express {@code align_corners=True} (its boolean is not align_corners) and
   * it returns antialiased values when downsampling. {@code alignCorners} applies to BILINEAR and
   * BICUBIC only.
   */
  public static NDArray interpolate(NDArray x, long h, long w, Mode mode, boolean alignCorners) {
    Shape s = x.getShape();
    int inH = (int) s.get(2);
    int inW = (int) s.get(3);
    NDArray out = x;
    if (inW != w || mode == Mode.BICUBIC) {
      NDArray mw =
          Autograd.own(
                  x.getManager()
                      .create(weights(mode, inW, (int) w, alignCorners), new Shape(w, inW)))
              .toType(x.getDataType(), false);
      out = out.matMul(mw.transpose());
    }
    if (inH != h || mode == Mode.BICUBIC) {
      NDArray mh =
          Autograd.own(
                  x.getManager()
                      .create(weights(mode, inH, (int) h, alignCorners), new Shape(h, inH)))
              .toType(x.getDataType(), false);
      out = mh.matMul(out);
    }
    return out;
  }

  private static float[] weights(Mode mode, int in, int out, boolean alignCorners) {
    return switch (mode) {
      case NEAREST -> InterpolationMatrix.nearest(in, out);
      case BILINEAR -> InterpolationMatrix.linear(in, out, alignCorners);
      case BICUBIC -> InterpolationMatrix.cubic(in, out, alignCorners);
      case AREA -> InterpolationMatrix.area(in, out);
    };
  }

  /** Bilinear resize with {@code align_corners=True}, the only resize inside Stage B/C. */
  public static NDArray bilinearAc(NDArray x, long h, long w) {
    Shape s = x.getShape();
    if (s.get(2) == h && s.get(3) == w) {
      return x;
    }
    return interpolate(x, h, w, Mode.BILINEAR, true);
  }

  /** {@code nn.PixelShuffle(r)}: (N, C*r*r, H, W) to (N, C, H*r, W*r). */
  public static NDArray pixelShuffle(NDArray x, int r) {
    if (r == 1) {
      return x;
    }
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1) / ((long) r * r);
    long h = s.get(2);
    long w = s.get(3);
    return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
  }

  /** {@code nn.PixelUnshuffle(r)}: (N, C, H*r, W*r) to (N, C*r*r, H, W). */
  public static NDArray pixelUnshuffle(NDArray x, int r) {
    if (r == 1) {
      return x;
    }
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2) / r;
    long w = s.get(3) / r;
    return x.reshape(n, c, h, r, w, r).transpose(0, 1, 3, 5, 2, 4).reshape(n, c * r * r, h, w);
  }
}
