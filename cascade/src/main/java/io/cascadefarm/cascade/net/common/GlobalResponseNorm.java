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

  /**
   * {@code gamma * (x * N) + beta + x} computed as {@code x * (gamma * N + 1) + beta}: the scale is
   * a (B,1,1,C) tensor, so the full-size activation is read and written twice instead of four times
   * (equal up to float rounding; the Stage B/C forwards' largest elementwise cost).
   */
  @Override
  public NDArray forward(NDArray x) {
    // While recording gradients, torch.norm as the official code: its backward is 0 where the
    // norm is 0 (an all-zero channel), where sqrt(sum(x^2)) would give 0 * inf = NaN.
    NDArray gx =
        io.cascadefarm.cascade.nn.Autograd.isRecording()
            ? x.norm(new int[] {1, 2}, true)
            : x.square().sum(new int[] {1, 2}, true).sqrt();
    NDArray nx = gx.div(gx.mean(new int[] {-1}, true).add(1e-6f));
    NDArray scale = nx.mul(gamma.array()).add(1f);
    return x.mul(scale).add(beta.array());
  }
}
