package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.OneDnnIsa;
import io.cascadefarm.cascade.nn.Ops;

/** A child process for {@link OneDnnCapTest}: one convolution through the port, then exit. */
public final class OneConvolution {
  private OneConvolution() {}

  public static void main(String[] args) {
    try (NDManager m = NDManager.newBaseManager()) {
      Ops.conv2d(
              m.randomNormal(new Shape(2, 24, 5, 7)),
              m.randomNormal(new Shape(24, 24, 3, 3)),
              null,
              1,
              1,
              1)
          .toFloatArray();
    }
    System.out.println("SETTING " + OneDnnIsa.configure().describe());
  }
}
