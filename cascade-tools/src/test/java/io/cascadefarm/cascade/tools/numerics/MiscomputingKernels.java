package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Resample;

/**
 * The port's kernels with one broken convolution, shaped like the oneDNN AVX-512 failure seen on
 * affected AMD EPYC hosts: a 24-channel 3x3 convolution on a 5x7 input returns values off by 38 %.
 * Every other op and shape is the port's own. Test code only.
 */
public final class MiscomputingKernels implements Kernels {
  private final Kernels port = Kernels.port();

  /** Whether the broken kernel applies to this convolution input. */
  public static boolean hits(Shape x, NDArray w) {
    return x.get(1) == 24 && x.get(2) == 5 && x.get(3) == 7 && w.getShape().get(2) == 3;
  }

  @Override
  public NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad, int groups) {
    NDArray y = port.conv2d(x, w, b, stride, pad, groups);
    return hits(x.getShape(), w) ? y.mul(1.38f) : y;
  }

  @Override
  public NDArray linear(NDArray x, NDArray w, NDArray b) {
    return port.linear(x, w, b);
  }

  @Override
  public NDArray matMul(NDArray a, NDArray b) {
    return port.matMul(a, b);
  }

  @Override
  public NDArray attention(NDArray q, NDArray k, NDArray v) {
    return port.attention(q, k, v);
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return port.layerNorm(x, gamma, beta, eps);
  }

  @Override
  public NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
    return port.groupNorm(x, groups, gamma, beta, eps);
  }

  @Override
  public NDArray batchNorm(
      NDArray x, NDArray mean, NDArray var, NDArray gamma, NDArray beta, float eps) {
    return port.batchNorm(x, mean, var, gamma, beta, eps);
  }

  @Override
  public NDArray interpolate(NDArray x, long h, long w, Resample.Mode mode, boolean alignCorners) {
    return port.interpolate(x, h, w, mode, alignCorners);
  }

  @Override
  public NDArray gelu(NDArray x) {
    return port.gelu(x);
  }

  @Override
  public NDArray silu(NDArray x) {
    return port.silu(x);
  }
}
