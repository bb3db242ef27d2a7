package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;

/** {@code F.linear} on (batch, rows, in) with bias, as the networks' token and channel MLPs. */
public record LinearProbe(int batch, int rows, int in, int out, long seed) implements OpProbe {

  @Override
  public OpFamily family() {
    return OpFamily.LINEAR;
  }

  @Override
  public String describe() {
    return String.format("%dx%dx%d->%d", batch, rows, in, out);
  }

  private float[][] inputs() {
    ProbeData d = new ProbeData(seed);
    return new float[][] {
      d.normal(batch * rows * in, 1), d.normal(out * in, 1 / Math.sqrt(in)), d.normal(out, 0.1)
    };
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    float[][] v = inputs();
    return kernels
        .linear(
            OpProbe.tensor(m, v[0], batch, rows, in),
            OpProbe.tensor(m, v[1], out, in),
            OpProbe.tensor(m, v[2], out))
        .toFloatArray();
  }

  @Override
  public double[] reference() {
    float[][] v = inputs();
    return ReferenceOps.linear(v[0], batch * rows, in, v[1], out, v[2]);
  }
}
