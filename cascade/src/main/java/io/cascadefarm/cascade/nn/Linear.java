package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.Linear(in, out, bias)}: keys {@code weight} (out, in) and {@code bias} (out). */
public class Linear extends Module implements Layer, LowPrecision.Lowerable {
  private final Parameter weight;
  private final Parameter bias;

  public Linear(long in, long out) {
    this(in, out, true);
  }

  public Linear(long in, long out, boolean withBias) {
    weight = param("weight", out, in);
    bias = withBias ? param("bias", out) : null;
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
      return s.kernels().linear(x, s.slot(), bias == null ? null : bias.array());
    }
    return Ops.linear(x, weight.array(), bias == null ? null : bias.array());
  }

  @Override
  public void lower(ScriptKernels kernels, int dtype) {
    if (weight.isBound() && !weight.isScripted()) {
      weight.script(kernels, dtype);
    }
  }
}
