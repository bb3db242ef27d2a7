package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/** "F" block (unused by released configs): {@code x + MLP(LN2d(x))} with the ResBlock MLP. */
public class FeedForwardBlock extends Module {
  private final Sequential channelwise;

  public FeedForwardBlock(long c) {
    channelwise =
        child(
            "channelwise",
            new Sequential()
                .add(new Linear(c, c * 4))
                .add(Ops::gelu)
                .add(new GlobalResponseNorm(c * 4))
                .identity()
                .add(new Linear(c * 4, c)));
  }

  public NDArray forward(NDArray x) {
    NDArray h = Norms.layerNorm2d(x, null, null, 1e-6f).transpose(0, 2, 3, 1);
    return x.add(channelwise.forward(h).transpose(0, 3, 1, 2));
  }
}
