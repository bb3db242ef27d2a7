package io.cascadefarm.cascade.pipeline;

import java.awt.image.BufferedImage;

/**
 * Progress, preview and cancellation hooks of a generation. Stages are reported as {@code prior}
 * (Stage C) and {@code decoder} (Stage B); {@code step} counts from 1 to {@code steps}.
 */
public interface GenerationListener {
  /** A listener that ignores everything and never cancels. */
  GenerationListener NONE = new GenerationListener() {};

  /** Called after each sampling step. */
  default void onStep(String stage, int step, int steps) {}

  /**
   * Asked before the live preview of request {@code request} that is due is made; false skips it
   * (the listener paces previews, or the request's job is gone), so it costs nothing.
   */
  default boolean wantsPreview(int request) {
    return true;
  }

  /**
   * A live preview of request {@code request} (its index in the list given to {@code generate})
   * after prior step {@code step} of {@code steps}: the Previewer's rendering of the request's
   * current Stage C estimate x0, its images side by side (8x the Stage C latent, e.g. 192x192 for a
   * 1024x1024 image). Called on the render thread for each request whose {@code previewEvery}
   * divides {@code step}, never for the others; the render waits until it returns.
   */
  default void onPreview(int request, int step, int steps, BufferedImage image) {}

  /** Checked between steps; returning true aborts with {@link GenerationCancelledException}. */
  default boolean isCancelled() {
    return false;
  }
}
