package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code F.conv_transpose2d} emulation (DJL's PyTorch engine has no deconvolution). Square kernel
 * {@code k}, stride {@code s}, padding {@code p}, output padding {@code op}, groups 1; weight
 * layout (C_in, C_out, k, k) as in PyTorch.
 *
 * <ul>
 *   <li>{@code s == k, p == 0, op == 0} (Stage B/C upscalers, previewer): exact rewrite as a 1x1
 *       conv to {@code C_out*k*k} channels, where channel {@code o*k*k + a*k + b} holds {@code W[:,
 *       o, a, b]}, followed by {@code PixelShuffle(k)}.
 *   <li>otherwise: insert {@code s-1} zeros between input pixels, pad by {@code k-1-p} (plus {@code
 *       op} at the bottom/right) and run an ordinary conv with the spatially flipped,
 *       in/out-swapped kernel. Requires {@code p <= k-1}.
 * </ul>
 */
public final class ConvTranspose {
  private ConvTranspose() {}

  /** Transposed convolution; {@code bias} may be null. */
  public static NDArray convTranspose2d(
      NDArray x, NDArray w, NDArray bias, int stride, int padding, int outputPadding) {
    long[] ws = w.getShape().getShape();
    if (ws.length != 4 || ws[2] != ws[3]) {
      throw new IllegalArgumentException(
          "conv_transpose2d needs a square 4-D kernel, got " + w.getShape());
    }
    int k = (int) ws[2];
    if (stride == k && padding == 0 && outputPadding == 0) {
      return strideEqualsKernel(x, w, bias, k);
    }
    if (padding > k - 1) {
      throw new IllegalArgumentException("conv_transpose2d emulation needs padding <= k-1");
    }
    return dilated(x, w, bias, k, stride, padding, outputPadding);
  }

  private static NDArray strideEqualsKernel(NDArray x, NDArray w, NDArray bias, int k) {
    long cin = w.getShape().get(0);
    long cout = w.getShape().get(1);
    NDArray w1 =
        Scope.local(Scope.local(w.transpose(1, 2, 3, 0), x).reshape(cout * k * k, cin, 1, 1), x);
    NDArray b1 = null;
    if (bias != null) {
      NDArray col = Scope.local(bias.reshape(cout, 1), x);
      b1 = col.repeat(1, (long) k * k).reshape(-1);
    }
    NDArray y = Ops.conv2d(x, w1, b1, 1, 0, 1);
    return Resample.pixelShuffle(y, k);
  }

  private static NDArray dilated(NDArray x, NDArray w, NDArray bias, int k, int s, int p, int op) {
    Shape xs = x.getShape();
    long n = xs.get(0);
    long c = xs.get(1);
    long h = xs.get(2);
    long wd = xs.get(3);
    NDArray up = x;
    if (s > 1) {
      NDArray v = x.reshape(n, c, h, 1, wd, 1);
      v = v.concat(x.getManager().zeros(new Shape(n, c, h, s - 1, wd, 1), x.getDataType()), 3);
      v = v.concat(x.getManager().zeros(new Shape(n, c, h, s, wd, s - 1), x.getDataType()), 5);
      up =
          v.reshape(n, c, h * s, wd * s)
              .get(":, :, :" + ((h - 1) * s + 1) + ", :" + ((wd - 1) * s + 1));
    }
    if (op > 0) {
      Shape us = up.getShape();
      up = up.concat(x.getManager().zeros(new Shape(n, c, op, us.get(3)), x.getDataType()), 2);
      up = up.concat(x.getManager().zeros(new Shape(n, c, us.get(2) + op, op), x.getDataType()), 3);
    }
    NDArray kernel = Scope.local(Scope.local(w.flip(2, 3), x).transpose(1, 0, 2, 3), x);
    return Ops.conv2d(up, kernel, bias, 1, k - 1 - p, 1);
  }
}
