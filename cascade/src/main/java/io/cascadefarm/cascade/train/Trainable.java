package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A trained tensor: a leaf that requires gradients. {@link #replace} swaps in a new value (a fresh
 * leaf, so no gradient carries over); the old array is closed.
 */
public final class Trainable {
  private final String name;
  private NDArray value;

  public Trainable(String name, NDArray value) {
    this.name = name;
    this.value = value;
    value.setRequiresGradient(true);
  }

  public String name() {
    return name;
  }

  /** The current leaf. */
  public NDArray value() {
    return value;
  }

  /**
   * The gradient accumulated by the backward passes since the last {@link #replace}, as a new array
   * in {@code manager}; zeros when the value took no part in the graph.
   */
  public NDArray gradient(NDManager manager) {
    NDArray g;
    try {
      g = value.getGradient();
    } catch (IllegalStateException | NullPointerException e) {
      return manager.zeros(value.getShape(), value.getDataType());
    }
    NDArray copy = g.duplicate();
    copy.attach(manager);
    g.close();
    return copy;
  }

  /** Replaces the value by {@code next} (detached; becomes the new leaf); closes the old one. */
  public void replace(NDArray next) {
    NDArray old = value;
    NDArray leaf = next.stopGradient();
    if (leaf != next) {
      leaf.attach(old.getManager());
      next.close();
    } else {
      leaf.attach(old.getManager());
    }
    leaf.setRequiresGradient(true);
    value = leaf;
    old.close();
  }

  /** A detached float32 copy of the value as a flat array. */
  public float[] toFloatArray() {
    try (NDArray d = value.stopGradient()) {
      return d.toFloatArray();
    }
  }
}
