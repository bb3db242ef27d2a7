package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.ScopedSteps;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;

/**
 * torchvision {@code EfficientNet.features}: {@code 0} stem, {@code 1..n} stages (each a sequential
 * of {@link InvertedResidual} blocks), {@code n+1} head conv. Every block runs in its own memory
 * scope; stage outputs are traced as {@code <tracePath>.<i>}.
 */
public final class EfficientNetFeatures extends Sequential {
  private final EfficientNetConfig config;
  private final String tracePath;

  /** Builds the backbone; {@code tracePath} (e.g. {@code backbone}) may be null. */
  public EfficientNetFeatures(EfficientNetConfig config, String tracePath) {
    this.config = config;
    this.tracePath = tracePath;
    float eps = config.bnEps();
    int stem = config.stemChannels();
    add(ConvNormAct.of(config.stemInChannels(), stem, 3, 2, config.stemPadding(), 1, eps, true));
    for (StageSetting s : config.stages()) {
      Sequential stage = new Sequential();
      for (int i = 0; i < s.numLayers(); i++) {
        int in = i == 0 ? s.inputChannels() : s.outChannels();
        stage.add(InvertedResidual.create(s, in, i == 0 ? s.stride() : 1, eps));
      }
      add(stage);
    }
    int lastIn = config.stages().get(config.stages().size() - 1).outChannels();
    add(ConvNormAct.of(lastIn, config.lastChannel(), 1, 1, 1, eps, true));
  }

  public EfficientNetConfig config() {
    return config;
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray h = x;
    for (int i = 0; i < size(); i++) {
      NDArray in = h;
      h =
          step(i) instanceof Sequential stage && i > 0 && i < size() - 1
              ? ScopedSteps.run(stage, in, null)
              : ScopedSteps.step(step(i), in, in);
      if (in != x && h != in) {
        in.close();
      }
      if (tracePath != null) {
        Trace.record(tracePath + "." + i, h);
      }
    }
    return h;
  }
}
