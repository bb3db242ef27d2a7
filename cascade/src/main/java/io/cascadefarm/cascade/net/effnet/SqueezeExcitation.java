package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;

/**
 * torchvision {@code SqueezeExcitation} with SiLU: global average pool, 1x1 conv {@code fc1} to
 * {@code squeeze} channels, SiLU, 1x1 conv {@code fc2} back, sigmoid, channel-wise scaling.
 */
final class SqueezeExcitation extends Module implements Layer {
  private final Conv2d fc1;
  private final Conv2d fc2;

  SqueezeExcitation(int channels, int squeeze) {
    fc1 = child("fc1", new Conv2d(channels, squeeze, 1));
    fc2 = child("fc2", new Conv2d(squeeze, channels, 1));
  }

  @Override
  public NDArray forward(NDArray x) {
    long[] s = x.getShape().getShape();
    NDArray pooled =
        x.reshape(s[0], s[1], s[2] * s[3]).mean(new int[] {2}, true).reshape(s[0], s[1], 1, 1);
    NDArray scale = Ops.sigmoid(fc2.forward(Ops.silu(fc1.forward(pooled))));
    return x.mul(scale);
  }
}
