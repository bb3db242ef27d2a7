package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.BatchNorm2d;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ScopedSteps;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;

/**
 * The official {@code EfficientNetEncoder}: {@code backbone} (EfficientNet features) then {@code
 * mapper} = bias-free 1x1 conv to {@code c_latent} and a non-affine BatchNorm (eps 1e-5). {@link
 * #forward} takes ImageNet-normalised input; {@link #encode} takes RGB in [0,1].
 */
public final class EfficientNetEncoder extends Module implements Layer {
  private final EffnetEncoderConfig config;
  private final EfficientNetFeatures backbone;
  private final Sequential mapper;

  public EfficientNetEncoder(EffnetEncoderConfig config) {
    this.config = config;
    backbone = child("backbone", new EfficientNetFeatures(config.backbone(), "backbone"));
    mapper =
        child(
            "mapper",
            new Sequential()
                .add(
                    new Conv2d(
                        config.backbone().lastChannel(), config.cLatent(), 1, 1, 0, 1, false))
                .add(new BatchNorm2d(config.cLatent(), 1e-5f, false)));
  }

  public EffnetEncoderConfig config() {
    return config;
  }

  /** {@code forward(x)} on ImageNet-normalised input: latents (B, c_latent, H/32, W/32). */
  @Override
  public NDArray forward(NDArray normalized) {
    NDArray features = backbone.forward(normalized);
    NDArray out = ScopedSteps.step(mapper, features, normalized);
    Trace.record("mapper", out);
    return out;
  }

  /** RGB in [0,1] (B,3,H,W): ImageNet normalisation, then {@link #forward}. */
  public NDArray encode(NDArray rgb) {
    NDArray normalized = EffnetPreprocess.normalize(rgb);
    NDArray out = forward(normalized);
    normalized.close();
    return out;
  }

  /** Spatial reduction factor of {@link #encode} (32 officially). */
  public int stride() {
    return config.backbone().stride();
  }
}
