package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * "C" block: depthwise conv -> LayerNorm2d (no affine, 1e-6) -> [concat skip] -> per-pixel
 * Linear(c+c_skip, 4c) -> GELU -> GRN -> Dropout -> Linear(4c, c) -> + input.
 */
public class ResBlock extends Module {
  private final Conv2d depthwise;
  private final Sequential channelwise;
  private final long cSkip;

  public ResBlock(long c, long cSkip, int kernelSize) {
    this.cSkip = cSkip;
    depthwise = child("depthwise", new Conv2d(c, c, kernelSize, 1, kernelSize / 2, (int) c, true));
    channelwise =
        child(
            "channelwise",
            new Sequential()
                .add(new Linear(c + cSkip, c * 4))
                .add(Ops::gelu)
                .add(new GlobalResponseNorm(c * 4))
                .identity()
                .add(new Linear(c * 4, c)));
  }

  /** True when built with a skip input (first block of a non-deepest up level). */
  public boolean takesSkip() {
    return cSkip > 0;
  }

  /** Forward; {@code skip} may be null. */
  public NDArray forward(NDArray x, NDArray skip) {
    NDArray h = Norms.layerNorm2d(depthwise.forward(x), null, null, 1e-6f);
    if (skip != null) {
      h = h.concat(skip, 1);
    }
    NDArray out = channelwise.forward(h.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2);
    return out.add(x);
  }
}
