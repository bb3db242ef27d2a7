package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.Conv2d} with a square kernel: {@code weight} (out, in/groups, k, k), optional bias. */
public class Conv2d extends Module implements Layer, LowPrecision.Lowerable {
  private final Parameter weight;
  private final Parameter bias;
  private final int stride;
  private final int padding;
  private final int groups;

  public Conv2d(long in, long out, int kernel) {
    this(in, out, kernel, 1, 0, 1, true);
  }

  public Conv2d(
      long in, long out, int kernel, int stride, int padding, int groups, boolean withBias) {
    weight = param("weight", out, in / groups, kernel, kernel);
    bias = withBias ? param("bias", out) : null;
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  @Override
  public NDArray forward(NDArray x) {
    Parameter.Scripted s = weight.scripted();
    if (s != null) {
      return s.kernels()
          .conv2d(
              x,
              s.slot(),
              bias == null ? null : bias.array(),
              new int[] {stride, stride},
              new int[] {padding, padding},
              groups);
    }
    return Ops.conv2d(
        x, weight.array(), bias == null ? null : bias.array(), stride, padding, groups);
  }

  @Override
  public void lower(ScriptKernels kernels, int dtype) {
    if (weight.isBound() && !weight.isScripted()) {
      weight.script(kernels, dtype);
    }
  }
}
