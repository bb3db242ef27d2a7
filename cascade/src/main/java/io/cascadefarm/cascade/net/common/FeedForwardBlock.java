package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * "F" block (unused by released configs): {@code x + MLP(LN2d(x))} with the ResBlock MLP. Inference
 * forwards run as one {@link BlockScripts} call when it applies.
 */
public class FeedForwardBlock extends Module {
  private final Sequential channelwise;
  private final Parameter[] params;

  public FeedForwardBlock(long c) {
    ChannelwiseMlp mlp = new ChannelwiseMlp(c, c);
    channelwise = child("channelwise", mlp.module());
    params = mlp.parameters();
  }

  public NDArray forward(NDArray x) {
    return BlockScripts.applies(params) ? forwardScripted(x) : forwardOps(x);
  }

  /** The forward as one {@link BlockScripts} call (inference only; weights held as arrays). */
  public NDArray forwardScripted(NDArray x) {
    return BlockScripts.shared(x.getDevice()).feedForward(x, BlockScripts.arrays(params));
  }

  /** The op-by-op forward (differentiable: training, and {@code FARM_BLOCKS=ops}). */
  public NDArray forwardOps(NDArray x) {
    NDArray h = Norms.layerNorm2d(x, null, null, 1e-6f).transpose(0, 2, 3, 1);
    return x.add(channelwise.forward(h).transpose(0, 3, 1, 2));
  }
}
