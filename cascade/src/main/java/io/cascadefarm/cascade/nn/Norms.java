package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;

/** Normalisation ops: LayerNorm (trailing dims / NCHW channels), BatchNorm eval, GroupNorm. */
public final class Norms {
  private Norms() {}

  /**
   * {@code F.layer_norm} over the trailing {@code normalizedDims} axes; {@code gamma}/{@code beta}
   * may be null (no affine).
   */
  public static NDArray layerNorm(
      NDArray x, int normalizedDims, NDArray gamma, NDArray beta, float eps) {
    long[] dims = x.getShape().getShape();
    long[] tail = new long[normalizedDims];
    System.arraycopy(dims, dims.length - normalizedDims, tail, 0, normalizedDims);
    Shape shape = new Shape(tail);
    NDArray g = gamma != null ? gamma : x.getManager().ones(shape, x.getDataType());
    NDArray b = beta != null ? beta : x.getManager().zeros(shape, x.getDataType());
    return LayerNorm.layerNorm(x, shape, g, b, eps).singletonOrThrow();
  }

  /**
   * LayerNorm over the channel vector of every pixel of an NCHW tensor (permute to NHWC, normalise,
   * permute back), as the official {@code LayerNorm2d}.
   */
  public static NDArray layerNorm2d(NDArray x, NDArray gamma, NDArray beta, float eps) {
    NDArray nhwc = x.transpose(0, 2, 3, 1);
    return layerNorm(nhwc, 1, gamma, beta, eps).transpose(0, 3, 1, 2);
  }

  /**
   * Eval-mode {@code F.batch_norm} over axis 1 (native op); gamma/beta may be null ({@code
   * affine=False}).
   */
  public static NDArray batchNorm(
      NDArray x, NDArray mean, NDArray var, NDArray gamma, NDArray beta, float eps) {
    Shape c = new Shape(x.getShape().get(1));
    NDArray g = gamma != null ? gamma : x.getManager().ones(c, x.getDataType());
    NDArray b = beta != null ? beta : x.getManager().zeros(c, x.getDataType());
    return BatchNorm.batchNorm(x, mean, var, g, b, 1, 0.1f, eps, false).singletonOrThrow();
  }

  /** {@code F.group_norm} (composite; biased variance) on (N, C, ...) input. */
  public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
    Shape shape = x.getShape();
    long n = shape.get(0);
    long c = shape.get(1);
    NDArray g = x.reshape(n, groups, -1);
    NDArray mean = g.mean(new int[] {2}, true);
    NDArray centered = g.sub(mean);
    NDArray var = centered.square().mean(new int[] {2}, true);
    NDArray normed = centered.div(var.add(eps).sqrt()).reshape(shape);
    long[] bshape = new long[shape.dimension()];
    java.util.Arrays.fill(bshape, 1);
    bshape[1] = c;
    if (gamma != null) {
      normed = normed.mul(gamma.reshape(new Shape(bshape)));
    }
    if (beta != null) {
      normed = normed.add(beta.reshape(new Shape(bshape)));
    }
    return normed;
  }
}
