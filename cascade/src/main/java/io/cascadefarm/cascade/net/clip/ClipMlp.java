package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;

/** {@code CLIPMLP}: {@code fc2(act(fc1(x)))}. */
final class ClipMlp extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final ClipActivation activation;

  ClipMlp(long width, long intermediate, ClipActivation activation) {
    this.fc1 = child("fc1", new Linear(width, intermediate));
    this.fc2 = child("fc2", new Linear(intermediate, width));
    this.activation = activation;
  }

  NDArray forward(NDArray x) {
    return fc2.forward(activation.apply(fc1.forward(x)));
  }
}
