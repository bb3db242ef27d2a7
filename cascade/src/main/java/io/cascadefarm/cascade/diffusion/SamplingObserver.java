package io.cascadefarm.cascade.diffusion;

/** Watches a sampling run: asked for cancellation before each step, told after each step. */
public interface SamplingObserver {
  /** Observes nothing and never cancels. */
  SamplingObserver NONE = new SamplingObserver() {};

  /** Checked before every step; {@code true} stops the run with a cancellation exception. */
  default boolean isCancelled() {
    return false;
  }

  /** Called after every step with that step's tensors (valid only during the call). */
  default void onStep(SamplerStep step) {}
}
