package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * Memory scoping helpers. DJL attaches an op's result to the manager of its first operand; so
 * activations flow through the caller's (sub-)manager, while anything derived from a weight first
 * (a transpose, a slice) would land in the model's long-lived manager. {@link #local} moves such a
 * derived array to the activation's manager; {@link #run} evaluates a block in a sub-manager and
 * keeps only its result.
 */
public final class Scope {
  private Scope() {}

  /**
   * Re-attaches {@code derived} (e.g. {@code weight.transpose()}) to the manager of {@code like}.
   */
  public static NDArray local(NDArray derived, NDArray like) {
    derived.attach(like.getManager());
    return derived;
  }

  /**
   * Runs {@code body} with {@code inputs} temporarily attached to a fresh sub-manager of the first
   * input's manager; every intermediate is freed on return, the result is attached to the parent.
   */
  public static NDArray run(Supplier<NDArray> body, NDArray... inputs) {
    NDManager parent = inputs[0].getManager();
    try (NDManager sub = parent.newSubManager()) {
      java.util.Set<NDArray> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (NDArray in : inputs) {
        if (in != null && seen.add(in)) {
          in.tempAttach(sub);
        }
      }
      NDArray out = body.get();
      out.attach(parent);
      return out;
    }
  }
}
