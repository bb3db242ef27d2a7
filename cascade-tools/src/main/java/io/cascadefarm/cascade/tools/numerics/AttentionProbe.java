package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;

/** Scaled dot-product attention on (batch, heads, L, d): both of its matmuls and the softmax. */
public record AttentionProbe(int batch, int heads, int queries, int keys, int dim, long seed)
    implements OpProbe {

  @Override
  public OpFamily family() {
    return OpFamily.ATTENTION;
  }

  @Override
  public String describe() {
    return String.format("%dx%d heads q%d k%d d%d", batch, heads, queries, keys, dim);
  }

  private float[][] inputs() {
    ProbeData d = new ProbeData(seed);
    int bh = batch * heads;
    return new float[][] {
      d.normal(bh * queries * dim, 1), d.normal(bh * keys * dim, 1), d.normal(bh * keys * dim, 1)
    };
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    float[][] v = inputs();
    return kernels
        .attention(
            OpProbe.tensor(m, v[0], batch, heads, queries, dim),
            OpProbe.tensor(m, v[1], batch, heads, keys, dim),
            OpProbe.tensor(m, v[2], batch, heads, keys, dim))
        .toFloatArray();
  }

  @Override
  public double[] reference() {
    float[][] v = inputs();
    return ReferenceOps.attention(v[0], v[1], v[2], batch * heads, queries, keys, dim);
  }
}
