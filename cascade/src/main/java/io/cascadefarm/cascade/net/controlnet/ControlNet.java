package io.cascadefarm.cascade.net.controlnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.net.effnet.EfficientNetFeatures;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ModuleList;
import io.cascadefarm.cascade.nn.ScopedSteps;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The official {@code ControlNet}: {@code backbone} (see {@link BottleneckMode}) then one {@code
 * projections.<k>} (bias-free 1x1 conv, LeakyReLU 0.2, bias-free 1x1 conv to c_proj) per entry of
 * proj_blocks. {@link #forward} returns a list of length {@code max(proj_blocks)+1} holding {@code
 * projections[k](features)} at position {@code proj_blocks[k]} and null elsewhere, which is what
 * Stage C's {@code cnet} argument takes.
 */
public final class ControlNet extends Module {
  private final ControlNetConfig config;
  private final Sequential backbone;
  private final ModuleList<Sequential> projections;

  public ControlNet(ControlNetConfig config) {
    this.config = config;
    backbone = child("backbone", Bottlenecks.create(config));
    projections = child("projections", new ModuleList<>());
    int embed = config.embedChannels();
    for (int i = 0; i < config.projBlocks().size(); i++) {
      projections.add(
          new Sequential()
              .add(new Conv2d(embed, embed, 1, 1, 0, 1, false))
              .add(Bottlenecks::leaky)
              .add(new Conv2d(embed, config.cProj(), 1, 1, 0, 1, false)));
    }
  }

  public ControlNetConfig config() {
    return config;
  }

  /** {@code forward(x)}: projections at full strength. */
  public List<NDArray> forward(NDArray x) {
    return forward(x, 1f);
  }

  /**
   * Projections multiplied by {@code controlStrength} (the notebooks' {@code cnet_multiplier}; 1 =
   * unchanged). Entries not in proj_blocks are null. The list is unmodifiable.
   */
  public List<NDArray> forward(NDArray x, float controlStrength) {
    NDArray features = features(x);
    List<NDArray> out = new ArrayList<>(Collections.nCopies(config.outputLength(), null));
    for (int i = 0; i < projections.size(); i++) {
      Sequential p = projections.get(i);
      NDArray y = ScopedSteps.step(p, features, features);
      out.set(config.projBlocks().get(i), controlStrength == 1f ? y : scaled(y, controlStrength));
    }
    if (features != x) {
      features.close();
    }
    return Collections.unmodifiableList(out);
  }

  private NDArray features(NDArray x) {
    if (backbone instanceof EfficientNetFeatures effnet) {
      return effnet.forward(x);
    }
    return ScopedSteps.run(backbone, x, Trace.active() ? "backbone" : null);
  }

  private static NDArray scaled(NDArray y, float strength) {
    NDArray s = y.mul(strength);
    y.close();
    return s;
  }
}
