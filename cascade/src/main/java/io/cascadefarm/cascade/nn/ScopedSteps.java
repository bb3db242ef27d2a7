package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/**
 * Runs the steps of a {@link Sequential} one by one, each in its own memory scope ({@link
 * Scope#run}), closing every intermediate result as soon as the next step has consumed it, and
 * recording each step's output as {@code <tracePrefix>.<index>} when a {@link Trace} is active. The
 * input itself is never closed. Keeps peak memory at about two activations for deep chains (Stage A
 * decoder, EfficientNet stages) at full resolution.
 */
public final class ScopedSteps {
  private ScopedSteps() {}

  /** Runs every step of {@code seq} on {@code x}; {@code tracePrefix} may be null (no trace). */
  public static NDArray run(Sequential seq, NDArray x, String tracePrefix) {
    NDArray h = x;
    for (int i = 0; i < seq.size(); i++) {
      h = step(seq.step(i), h, x);
      if (tracePrefix != null) {
        Trace.record(tracePrefix + "." + i, h);
      }
    }
    return h;
  }

  /**
   * Applies {@code layer} to {@code h} in a sub-scope and closes {@code h} afterwards unless it is
   * {@code keep} (the caller's input) or the layer returned it unchanged.
   */
  public static NDArray step(Layer layer, NDArray h, NDArray keep) {
    NDArray out = Scope.run(() -> layer.forward(h), h);
    if (h != keep && out != h) {
      h.close();
    }
    return out;
  }
}
