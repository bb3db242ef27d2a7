package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** A unary NCHW (or token) transformation; used as a step of a {@link Sequential}. */
@FunctionalInterface
public interface Layer {
  NDArray forward(NDArray x);
}
