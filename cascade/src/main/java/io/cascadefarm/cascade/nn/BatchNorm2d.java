package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/**
 * Eval-mode {@code nn.BatchNorm2d}: {@code weight}, {@code bias} (when affine), buffers {@code
 * running_mean}, {@code running_var} ({@code num_batches_tracked} is not modelled).
 */
public class BatchNorm2d extends Module implements Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter mean;
  private final Parameter var;
  private final float eps;

  public BatchNorm2d(long c, float eps) {
    this(c, eps, true);
  }

  public BatchNorm2d(long c, float eps, boolean affine) {
    weight = affine ? param("weight", c) : null;
    bias = affine ? param("bias", c) : null;
    mean = buffer("running_mean", c);
    var = buffer("running_var", c);
    this.eps = eps;
  }

  @Override
  public NDArray forward(NDArray x) {
    return Norms.batchNorm(
        x,
        mean.array(),
        var.array(),
        weight == null ? null : weight.array(),
        bias == null ? null : bias.array(),
        eps);
  }
}
