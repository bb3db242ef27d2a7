package io.cascadefarm.cascade.net.previewer;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.BatchNorm2d;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.ConvTranspose2d;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.ScopedSteps;
import io.cascadefarm.cascade.nn.Sequential;
import io.cascadefarm.cascade.nn.Trace;

/**
 * The official {@code Previewer}: eight (layer, GELU, BatchNorm) stages, three of them 2x
 * transposed-conv upsamplers, then a 1x1 conv. Stage C latents (B,16,h,w) to RGB (B,3,8h,8w),
 * nominally [0,1]. Keys {@code blocks.<i>.*} as in the official {@code state_dict}.
 */
public final class Previewer extends Module implements Layer {
  private static final float BN_EPS = 1e-5f;
  private final PreviewerConfig config;
  private final Sequential blocks;

  public Previewer(PreviewerConfig config) {
    this.config = config;
    int h = config.cHidden();
    blocks = child("blocks", new Sequential());
    stage(new Conv2d(config.cIn(), h, 1), h);
    stage(new Conv2d(h, h, 3, 1, 1, 1, true), h);
    stage(new ConvTranspose2d(h, h / 2, 2, 2), h / 2);
    stage(new Conv2d(h / 2, h / 2, 3, 1, 1, 1, true), h / 2);
    stage(new ConvTranspose2d(h / 2, h / 4, 2, 2), h / 4);
    stage(new Conv2d(h / 4, h / 4, 3, 1, 1, 1, true), h / 4);
    stage(new ConvTranspose2d(h / 4, h / 4, 2, 2), h / 4);
    stage(new Conv2d(h / 4, h / 4, 3, 1, 1, 1, true), h / 4);
    blocks.add(new Conv2d(h / 4, config.cOut(), 1));
  }

  private void stage(Layer layer, int channels) {
    blocks.add(layer).add(Ops::gelu).add(new BatchNorm2d(channels, BN_EPS));
  }

  public PreviewerConfig config() {
    return config;
  }

  /** Stage C latents (B,c_in,h,w) to a preview (B,c_out,8h,8w). */
  @Override
  public NDArray forward(NDArray latents) {
    return ScopedSteps.run(blocks, latents, Trace.active() ? "blocks" : null);
  }

  /** Same as {@link #forward}; matches the pipeline's previewer signature. */
  public NDArray preview(NDArray latents) {
    return forward(latents);
  }
}
