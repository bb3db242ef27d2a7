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

  /** A Previewer rendering of the current Stage C estimate (every {@code previewEvery} steps). */
  default void onPreview(int step, BufferedImage img) {}

  /** Checked between steps; returning true aborts with {@link GenerationCancelledException}. */
  default boolean isCancelled() {
    return false;
  }
}
