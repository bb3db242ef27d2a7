package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code nn.LayerNorm} over the last axis (or, with {@link #channels2d}, over the channels of NCHW
 * like the official {@code LayerNorm2d}); {@code weight}/{@code bias} only when affine.
 */
public class LayerNorm extends Module implements Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final float eps;
  private final boolean nchw;

  private LayerNorm(long c, boolean affine, float eps, boolean nchw) {
    this.weight = affine ? param("weight", c) : null;
    this.bias = affine ? param("bias", c) : null;
    this.eps = eps;
    this.nchw = nchw;
  }

  /** LayerNorm over the last axis of size {@code c}. */
  public static LayerNorm lastAxis(long c, boolean affine, float eps) {
    return new LayerNorm(c, affine, eps, false);
  }

  /** LayerNorm2d: per-pixel over the channel axis of an NCHW tensor. */
  public static LayerNorm channels2d(long c, boolean affine, float eps) {
    return new LayerNorm(c, affine, eps, true);
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray g = weight == null ? null : weight.array();
    NDArray b = bias == null ? null : bias.array();
    return nchw ? Norms.layerNorm2d(x, g, b, eps) : Norms.layerNorm(x, 1, g, b, eps);
  }
}
