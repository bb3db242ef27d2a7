package io.cascadefarm.cascade.net.stagec;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Identity;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ModuleList;
import io.cascadefarm.cascade.nn.Resample;

/**
 * StageC level switch: 1x1 conv and, when enabled, a bilinear (align_corners=True) x2 / x0.5
 * resample; {@code blocks} = [conv, resample] for down, [resample, conv] for up.
 */
public class UpDownBlock2d extends Module implements Layer {
  private final ModuleList<Module> blocks = child("blocks", new ModuleList<>());
  private final boolean up;
  private final boolean enabled;
  private final Conv2d mapping;

  public UpDownBlock2d(long cIn, long cOut, boolean up, boolean enabled) {
    this.up = up;
    this.enabled = enabled;
    this.mapping = new Conv2d(cIn, cOut, 1);
    if (up) {
      blocks.add(new Identity()).add(mapping);
    } else {
      blocks.add(mapping).add(new Identity());
    }
  }

  @Override
  public NDArray forward(NDArray x) {
    return up ? mapping.forward(resample(x)) : resample(mapping.forward(x));
  }

  private NDArray resample(NDArray x) {
    if (!enabled) {
      return x;
    }
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    long oh = up ? h * 2 : (long) Math.floor(h * 0.5);
    long ow = up ? w * 2 : (long) Math.floor(w * 0.5);
    return Resample.interpolate(x, oh, ow, Resample.Mode.BILINEAR, true);
  }
}
