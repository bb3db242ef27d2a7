package io.cascadefarm.common.port;

/** Callbacks a {@link Renderer} makes during one batched call. */
public interface RenderListener {
  /** After each denoising step of a stage (e.g. {@code prior}, {@code decoder}). */
  default void onStep(String stage, int step, int steps) {}

  /**
   * Asked before a live preview of task {@code task} (its index in the rendered list) is made;
   * false skips it, so a preview nobody takes costs nothing. Only asked for tasks whose {@code
   * preview_every} divides the step.
   */
  default boolean wantsPreview(int task) {
    return true;
  }

  /** A live preview of task {@code task} after Stage C step {@code step} of {@code steps}. */
  default void onPreview(int task, int step, int steps, PreviewImage preview) {}

  /**
   * Checked between denoising steps; true stops the render with {@link RenderCancelledException}.
   */
  default boolean isCancelled() {
    return false;
  }
}
