package io.cascadefarm.cascade.net.controlnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.net.effnet.EfficientNetFeatures;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/** Builds the {@code backbone} of each {@link BottleneckMode} with the official key layout. */
final class Bottlenecks {
  private static final float SLOPE = 0.2f;

  private Bottlenecks() {}

  static Sequential create(ControlNetConfig c) {
    return switch (c.mode()) {
      case EFFNET ->
          new EfficientNetFeatures(
              c.cIn() == 3 ? c.effnet() : c.effnet().withStem(c.cIn(), 0), "backbone");
      case SIMPLE ->
          new Sequential()
              .add(new Conv2d(c.cIn(), 4L * c.cIn(), 3, 1, 1, 1, true))
              .add(Bottlenecks::leaky)
              .add(new Conv2d(4L * c.cIn(), c.cIn(), 3, 1, 1, 1, true));
      case LARGE -> large(c);
    };
  }

  private static Sequential large(ControlNetConfig c) {
    LargeBottleneckDims d = c.large();
    Sequential s =
        new Sequential()
            .add(new Conv2d(c.cIn(), d.hidden(), 1))
            .add(Bottlenecks::leaky)
            .add(new Conv2d(d.hidden(), d.width(), 1));
    for (int i = 0; i < d.blocks(); i++) {
      s.add(new CNetResBlock(d.width()));
    }
    return s.add(new Conv2d(d.width(), d.embed(), 1));
  }

  static NDArray leaky(NDArray x) {
    return Ops.leakyRelu(x, SLOPE);
  }
}
