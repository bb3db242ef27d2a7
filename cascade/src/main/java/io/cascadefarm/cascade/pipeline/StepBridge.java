package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.SamplerStep;
import io.cascadefarm.cascade.diffusion.SamplingObserver;
import io.cascadefarm.cascade.model.LatentPreviewer;
import java.awt.image.BufferedImage;

/**
 * Forwards sampler events to a {@link GenerationListener}: step counts (1-based), cancellation, and
 * for the prior every {@code previewEvery} steps a Previewer rendering of the current x0 (all rows
 * side by side, in batch order).
 */
final class StepBridge implements SamplingObserver {
  private final String stage;
  private final GenerationListener listener;
  private final LatentPreviewer previewer;
  private final int previewEvery;

  StepBridge(String stage, GenerationListener listener, LatentPreviewer previewer, int every) {
    this.stage = stage;
    this.listener = listener;
    this.previewer = previewer;
    this.previewEvery = every;
  }

  @Override
  public boolean isCancelled() {
    return listener.isCancelled();
  }

  @Override
  public void onStep(SamplerStep step) {
    int done = step.step() + 1;
    listener.onStep(stage, done, step.steps());
    if (previewer != null && previewEvery > 0 && done % previewEvery == 0) {
      listener.onPreview(done, strip(ImageBatch.toImages(previewer.preview(step.x0()))));
    }
  }

  private static BufferedImage strip(java.util.List<BufferedImage> images) {
    int w = images.get(0).getWidth();
    int h = images.get(0).getHeight();
    BufferedImage out = new BufferedImage(w * images.size(), h, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < images.size(); i++) {
      out.getGraphics().drawImage(images.get(i), i * w, 0, null);
    }
    return out;
  }
}
