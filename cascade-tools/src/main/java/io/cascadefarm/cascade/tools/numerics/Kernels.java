package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Resample;

/**
 * The native op families the networks are built from, as the self-check calls them. {@link #port()}
 * runs exactly the port's code paths ({@code Ops}, {@code Norms}, {@code Attention}, {@code
 * Resample}); tests wrap it to inject a miscomputing kernel.
 */
public interface Kernels {
  NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad, int groups);

  NDArray linear(NDArray x, NDArray w, NDArray b);

  NDArray matMul(NDArray a, NDArray b);

  /** Scaled dot-product attention on (B, heads, L, d). */
  NDArray attention(NDArray q, NDArray k, NDArray v);

  /** LayerNorm over the last axis. */
  NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps);

  NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps);

  NDArray batchNorm(NDArray x, NDArray mean, NDArray var, NDArray gamma, NDArray beta, float eps);

  NDArray interpolate(NDArray x, long h, long w, Resample.Mode mode, boolean alignCorners);

  NDArray gelu(NDArray x);

  NDArray silu(NDArray x);

  /** The port's own ops. */
  static Kernels port() {
    return PortKernels.INSTANCE;
  }
}
