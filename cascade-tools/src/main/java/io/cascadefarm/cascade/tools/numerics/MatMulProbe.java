package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;

/** Batched {@code a @ b}: (batch, m, k) x (batch, k, n). */
public record MatMulProbe(int batch, int m, int k, int n, long seed) implements OpProbe {

  @Override
  public OpFamily family() {
    return OpFamily.MATMUL;
  }

  @Override
  public String describe() {
    return String.format("%dx%dx%d@%dx%d", batch, m, k, k, n);
  }

  private float[][] inputs() {
    ProbeData d = new ProbeData(seed);
    return new float[][] {d.normal(batch * m * k, 1), d.normal(batch * k * n, 1 / Math.sqrt(k))};
  }

  @Override
  public float[] compute(Kernels kernels, NDManager mgr) {
    float[][] v = inputs();
    return kernels
        .matMul(OpProbe.tensor(mgr, v[0], batch, m, k), OpProbe.tensor(mgr, v[1], batch, k, n))
        .toFloatArray();
  }

  @Override
  public double[] reference() {
    float[][] v = inputs();
    return ReferenceOps.matMul(v[0], v[1], batch, m, k, n);
  }
}
