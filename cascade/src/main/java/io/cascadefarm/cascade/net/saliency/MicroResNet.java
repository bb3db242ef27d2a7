package io.cascadefarm.cascade.net.saliency;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * The official saliency network ({@code MicroResNet}, 3 -> 1 channel, sigmoid output): {@code
 * downsampler} (stride 4, 2, 2), {@code residual} (two residual blocks around a grouped 1x1 conv),
 * {@code segmentator} (nearest x2 and a 9x9 conv). Input RGB in [0,1] (no normalisation), output a
 * (B,1,~H/8,~W/8) saliency map in (0,1). Keys as the official {@code saliency_model.pt} state dict.
 */
public final class MicroResNet extends Module {
  private final Sequential downsampler;
  private final Sequential residual;
  private final Sequential segmentator;

  public MicroResNet() {
    downsampler =
        child(
            "downsampler",
            new Sequential()
                .add(new ReflectionPad(4))
                .add(new Conv2d(3, 8, 9, 4, 0, 1, true))
                .add(new InstanceNorm(8))
                .add(Ops::relu)
                .add(new ReflectionPad(1))
                .add(new Conv2d(8, 16, 3, 2, 0, 1, true))
                .add(new InstanceNorm(16))
                .add(Ops::relu)
                .add(new ReflectionPad(1))
                .add(new Conv2d(16, 32, 3, 2, 0, 1, true))
                .add(new InstanceNorm(32))
                .add(Ops::relu));
    residual =
        child(
            "residual",
            new Sequential()
                .add(new SaliencyResBlock(32))
                .add(new Conv2d(32, 64, 1, 1, 0, 32, false))
                .add(new SaliencyResBlock(64)));
    segmentator =
        child(
            "segmentator",
            new Sequential()
                .add(new ReflectionPad(1))
                .add(new Conv2d(64, 16, 3))
                .add(new InstanceNorm(16))
                .add(Ops::relu)
                .add(MicroResNet::nearestTimesTwo)
                .add(new ReflectionPad(4))
                .add(new Conv2d(16, 1, 9))
                .add(Ops::sigmoid));
  }

  /** Saliency in (0,1), (B,1,h,w). */
  public NDArray forward(NDArray rgb) {
    return segmentator.forward(residual.forward(downsampler.forward(rgb)));
  }

  private static NDArray nearestTimesTwo(NDArray x) {
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    return Resample.interpolate(x, 2 * h, 2 * w, Resample.Mode.NEAREST, false);
  }

  /** {@code ResBlock}: x + [pad conv IN relu pad conv IN](x), under the key {@code resblock}. */
  private static final class SaliencyResBlock extends Module implements Layer {
    private final Sequential resblock;

    SaliencyResBlock(int c) {
      resblock =
          child(
              "resblock",
              new Sequential()
                  .add(new ReflectionPad(1))
                  .add(new Conv2d(c, c, 3))
                  .add(new InstanceNorm(c))
                  .add(Ops::relu)
                  .add(new ReflectionPad(1))
                  .add(new Conv2d(c, c, 3))
                  .add(new InstanceNorm(c)));
    }

    @Override
    public NDArray forward(NDArray x) {
      return resblock.forward(x).add(x);
    }
  }
}
