package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Resampling ops on NCHW tensors: interpolation and pixel (un)shuffle with PyTorch ordering. */
public final class Resample {
  private Resample() {}

  /** Interpolation modes of {@code F.interpolate}. */
  public enum Mode {
    NEAREST(0),
    BILINEAR(-1),
    BICUBIC(-1),
    AREA(5);

    final int nativeCode;

    Mode(int nativeCode) {
      this.nativeCode = nativeCode;
    }
  }

  /**
   * {@code F.interpolate(x, size=(h, w), mode, align_corners)} on NCHW. NEAREST and AREA use
   * libtorch directly. BILINEAR and BICUBIC are computed as two separable resampling matmuls with
   * PyTorch's float32 index/weight rules, because DJL's JNI {@code interpolate} cannot express
   * {@code align_corners=True} (its boolean is the antialias flag).
   */
  public static NDArray interpolate(NDArray x, long h, long w, Mode mode, boolean alignCorners) {
    if (mode == Mode.NEAREST || mode == Mode.AREA) {
      return JniUtils.interpolate((PtNDArray) x, new long[] {h, w}, mode.nativeCode, false);
    }
    Shape s = x.getShape();
    int inH = (int) s.get(2);
    int inW = (int) s.get(3);
    boolean cubic = mode == Mode.BICUBIC;
    NDArray out = x;
    if (inW != w || cubic) {
      float[] mw =
          cubic
              ? InterpolationMatrix.cubic(inW, (int) w, alignCorners)
              : InterpolationMatrix.linear(inW, (int) w, alignCorners);
      out = out.matMul(x.getManager().create(mw, new Shape(w, inW)).transpose());
    }
    if (inH != h || cubic) {
      float[] mh =
          cubic
              ? InterpolationMatrix.cubic(inH, (int) h, alignCorners)
              : InterpolationMatrix.linear(inH, (int) h, alignCorners);
      out = x.getManager().create(mh, new Shape(h, inH)).matMul(out);
    }
    return out;
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
