package io.cascadefarm.common.port;

/** Callbacks a {@link Renderer} makes during one batched call. */
public interface RenderListener {
  /** After each denoising step of a stage (e.g. {@code prior}, {@code decoder}). */
  default void onStep(String stage, int step, int steps) {}

  /**
   * Checked between denoising steps; true stops the render with {@link RenderCancelledException}.
   */
  default boolean isCancelled() {
    return false;
  }
}
