package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;

/** {@link ImageLatentEncoder} over the EfficientNet encoder (normalisation included). */
final class EffnetLatents implements ImageLatentEncoder {
  private final EfficientNetEncoder net;

  EffnetLatents(EfficientNetEncoder net) {
    this.net = net;
  }

  @Override
  public NDArray encode(NDArray rgb) {
    return net.encode(rgb);
  }

  @Override
  public int stride() {
    return net.stride();
  }
}
