package io.cascadefarm.cascade.net.controlnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * {@code CNetResBlock(c)}: {@code x + [LN2d, GELU, conv3x3, LN2d, GELU, conv3x3](x)}; the
 * LayerNorms are affine with the PyTorch default eps 1e-5.
 */
public final class CNetResBlock extends Module implements Layer {
  private static final float EPS = 1e-5f;
  private final Sequential blocks;

  public CNetResBlock(int c) {
    blocks =
        child(
            "blocks",
            new Sequential()
                .add(LayerNorm.channels2d(c, true, EPS))
                .add(Ops::gelu)
                .add(new Conv2d(c, c, 3, 1, 1, 1, true))
                .add(LayerNorm.channels2d(c, true, EPS))
                .add(Ops::gelu)
                .add(new Conv2d(c, c, 3, 1, 1, 1, true)));
  }

  @Override
  public NDArray forward(NDArray x) {
    return x.add(blocks.forward(x));
  }
}
