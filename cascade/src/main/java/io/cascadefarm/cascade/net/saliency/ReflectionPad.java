package io.cascadefarm.cascade.net.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.cascadefarm.cascade.nn.Layer;

/** {@code nn.ReflectionPad2d(p)} on NCHW (mirror without repeating the edge; p < H and p < W). */
final class ReflectionPad implements Layer {
  private final int pad;

  ReflectionPad(int pad) {
    this.pad = pad;
  }

  @Override
  public NDArray forward(NDArray x) {
    return axis(axis(x, 3), 2);
  }

  private NDArray axis(NDArray x, int axis) {
    long n = x.getShape().get(axis);
    if (pad >= n) {
      throw new IllegalArgumentException(
          "reflection padding " + pad + " needs a dimension > " + pad + ", got " + n);
    }
    String lead = axis == 3 ? ":, :, :, " : ":, :, ";
    NDArray left = x.get(lead + "1:" + (pad + 1)).flip(axis);
    NDArray right = x.get(lead + (n - 1 - pad) + ":" + (n - 1)).flip(axis);
    return NDArrays.concat(new NDList(left, x, right), axis);
  }
}
