package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.SamplerStep;
import io.cascadefarm.cascade.diffusion.SamplingObserver;

/**
 * Forwards sampler events to a {@link GenerationListener}: step counts (1-based), cancellation, and
 * for the prior the live previews that are due ({@link LatentPreviews}; null: none).
 */
final class StepBridge implements SamplingObserver {
  private final String stage;
  private final GenerationListener listener;
  private final LatentPreviews previews;

  StepBridge(String stage, GenerationListener listener, LatentPreviews previews) {
    this.stage = stage;
    this.listener = listener;
    this.previews = previews;
  }

  @Override
  public boolean isCancelled() {
    return listener.isCancelled();
  }

  @Override
  public void onStep(SamplerStep step) {
    int done = step.step() + 1;
    listener.onStep(stage, done, step.steps());
    if (previews != null) {
      previews.afterStep(step.x0(), done, step.steps(), listener);
    }
  }
}
