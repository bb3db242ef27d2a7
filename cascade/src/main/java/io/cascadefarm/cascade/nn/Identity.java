package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.Identity}: no parameters, returns its input. */
public class Identity extends Module implements Layer {
  @Override
  public NDArray forward(NDArray x) {
    return x;
  }
}
