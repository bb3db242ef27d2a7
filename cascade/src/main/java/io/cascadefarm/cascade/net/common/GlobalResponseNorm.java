package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;
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

  public Parameter gamma() {
    return gamma;
  }

  public Parameter beta() {
    return beta;
  }

  /**
   * {@code gamma * (x * N) + beta + x} computed as {@code x * (gamma * N + 1) + beta}: the scale is
   * a (B,1,1,C) tensor, so the full-size activation is read twice and written once, with no
   * full-size temporary besides the result (the Stage B/C forwards' largest elementwise cost).
   */
  @Override
  public NDArray forward(NDArray x) {
    // While recording gradients, torch.norm as the official code: its backward is 0 where the
    // norm is 0 (an all-zero channel), where sqrt(sum(x^2)) would give 0 * inf = NaN. Otherwise
    // square + sum: measured 2-5x faster than libtorch 2.7's norm kernel on the (B,H,W,C) Stage B
    // shapes, which reduce over the non-contiguous H and W axes.
    NDArray gx =
        io.cascadefarm.cascade.nn.Autograd.isRecording()
            ? x.norm(new int[] {1, 2}, true)
            : x.square().sum(new int[] {1, 2}, true).sqrt();
    NDArray nx = gx.div(gx.mean(new int[] {-1}, true).add(1e-6f));
    NDArray scale = nx.mul(gamma.array()).add(1f);
    return Ops.addInPlace(x.mul(scale), beta.array());
  }
}
