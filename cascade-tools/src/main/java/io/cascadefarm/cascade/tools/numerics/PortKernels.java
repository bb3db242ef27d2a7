package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Attention;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Resample;

/** {@link Kernels} as the networks run them. */
final class PortKernels implements Kernels {
  static final PortKernels INSTANCE = new PortKernels();

  private PortKernels() {}

  @Override
  public NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad, int groups) {
    return Ops.conv2d(x, w, b, stride, pad, groups);
  }

  @Override
  public NDArray linear(NDArray x, NDArray w, NDArray b) {
    return Ops.linear(x, w, b);
  }

  @Override
  public NDArray matMul(NDArray a, NDArray b) {
    return a.matMul(b);
  }

  @Override
  public NDArray attention(NDArray q, NDArray k, NDArray v) {
    return Attention.sdpa(q, k, v);
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return Norms.layerNorm(x, 1, gamma, beta, eps);
  }

  @Override
  public NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
    return Norms.groupNorm(x, groups, gamma, beta, eps);
  }

  @Override
  public NDArray batchNorm(
      NDArray x, NDArray mean, NDArray var, NDArray gamma, NDArray beta, float eps) {
    return Norms.batchNorm(x, mean, var, gamma, beta, eps);
  }

  @Override
  public NDArray interpolate(NDArray x, long h, long w, Resample.Mode mode, boolean alignCorners) {
    return Resample.interpolate(x, h, w, mode, alignCorners);
  }

  @Override
  public NDArray gelu(NDArray x) {
    return Ops.gelu(x);
  }

  @Override
  public NDArray silu(NDArray x) {
    return Ops.silu(x);
  }
}
