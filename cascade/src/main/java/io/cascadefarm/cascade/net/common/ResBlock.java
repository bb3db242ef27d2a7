package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * "C" block: depthwise conv -> LayerNorm2d (no affine, 1e-6) -> [concat skip] -> per-pixel
 * Linear(c+c_skip, 4c) -> GELU -> GRN -> Dropout -> Linear(4c, c) -> + input. Inference forwards
 * run as one {@link BlockScripts} call when it applies.
 */
public class ResBlock extends Module {
  private final Conv2d depthwise;
  private final Sequential channelwise;
  private final long cSkip;
  private final int pad;
  private final Parameter[] params;

  public ResBlock(long c, long cSkip, int kernelSize) {
    this.cSkip = cSkip;
    this.pad = kernelSize / 2;
    depthwise = child("depthwise", new Conv2d(c, c, kernelSize, 1, pad, (int) c, true));
    ChannelwiseMlp mlp = new ChannelwiseMlp(c + cSkip, c);
    channelwise = child("channelwise", mlp.module());
    params =
        BlockScripts.concat(
            new Parameter[] {depthwise.weight(), depthwise.bias()}, mlp.parameters());
  }

  /** True when built with a skip input (first block of a non-deepest up level). */
  public boolean takesSkip() {
    return cSkip > 0;
  }

  /** Forward; {@code skip} may be null. */
  public NDArray forward(NDArray x, NDArray skip) {
    return BlockScripts.applies(params) ? forwardScripted(x, skip) : forwardOps(x, skip);
  }

  /** The forward as one {@link BlockScripts} call (inference only; weights held as arrays). */
  public NDArray forwardScripted(NDArray x, NDArray skip) {
    return BlockScripts.shared(x.getDevice()).resBlock(x, skip, BlockScripts.arrays(params), pad);
  }

  /** The op-by-op forward (differentiable: training, and {@code FARM_BLOCKS=ops}). */
  public NDArray forwardOps(NDArray x, NDArray skip) {
    NDArray h = Norms.layerNorm2d(depthwise.forward(x), null, null, 1e-6f);
    if (skip != null) {
      h = h.concat(skip, 1);
    }
    NDArray out = channelwise.forward(h.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2);
    return out.add(x);
  }
}
