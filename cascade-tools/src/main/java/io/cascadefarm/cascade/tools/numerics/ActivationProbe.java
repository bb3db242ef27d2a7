package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;

/** Exact GELU or SiLU on {@code size} values spread over [-8, 8]. */
public record ActivationProbe(boolean gelu, int size, long seed) implements OpProbe {

  @Override
  public OpFamily family() {
    return OpFamily.ACTIVATION;
  }

  @Override
  public String describe() {
    return (gelu ? "gelu " : "silu ") + size;
  }

  private float[] input() {
    return new ProbeData(seed).uniform(size, -8, 8);
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    var x = OpProbe.tensor(m, input(), size);
    return (gelu ? kernels.gelu(x) : kernels.silu(x)).toFloatArray();
  }

  @Override
  public double[] reference() {
    return gelu ? ReferenceOps.gelu(input()) : ReferenceOps.silu(input());
  }
}
