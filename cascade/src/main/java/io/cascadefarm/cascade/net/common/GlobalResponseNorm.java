package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;

/**
 * ConvNeXt-V2 GRN on NHWC input: {@code G = ||x||_2 over (H,W)}, {@code N = G / (mean_c G + 1e-6)},
 * {@code gamma*(x*N) + beta + x}; keys {@code gamma}, {@code beta} of shape (1,1,1,d).
 */
public class GlobalResponseNorm extends Module implements Layer {
  private final Parameter gamma;
  private final Parameter beta;

  public GlobalResponseNorm(long dim) {
    gamma = param("gamma", 1, 1, 1, dim);
    beta = param("beta", 1, 1, 1, dim);
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray gx = x.square().sum(new int[] {1, 2}, true).sqrt();
    NDArray nx = gx.div(gx.mean(new int[] {-1}, true).add(1e-6f));
    return x.mul(nx).mul(gamma.array()).add(beta.array()).add(x);
  }
}
