package io.cascadefarm.cascade.net.saliency;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Parameter;

/** {@code nn.InstanceNorm2d(c, affine=True)} (eps 1e-5, no running statistics). */
final class InstanceNorm extends Module implements Layer {
  private final int channels;
  private final Parameter weight;
  private final Parameter bias;

  InstanceNorm(int channels) {
    this.channels = channels;
    weight = param("weight", channels);
    bias = param("bias", channels);
  }

  @Override
  public NDArray forward(NDArray x) {
    return Norms.groupNorm(x, channels, weight.array(), bias.array(), 1e-5f);
  }
}
