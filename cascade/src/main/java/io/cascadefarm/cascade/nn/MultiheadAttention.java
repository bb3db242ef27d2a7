package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code nn.MultiheadAttention(c, nhead, bias=True, batch_first=True)}: keys {@code in_proj_weight}
 * (3c, c), {@code in_proj_bias} (3c), {@code out_proj.weight}, {@code out_proj.bias}.
 */
public class MultiheadAttention extends Module implements LowPrecision.Lowerable {
  private final Parameter inProjWeight;
  private final Parameter inProjBias;
  private final Linear outProj;
  private final int nhead;

  public MultiheadAttention(long c, int nhead) {
    this.inProjWeight = param("in_proj_weight", 3 * c, c);
    this.inProjBias = param("in_proj_bias", 3 * c);
    this.outProj = child("out_proj", new Linear(c, c));
    this.nhead = nhead;
  }

  public Parameter inProjWeight() {
    return inProjWeight;
  }

  public Parameter inProjBias() {
    return inProjBias;
  }

  public Linear outProj() {
    return outProj;
  }

  /** Attention of {@code query} (B, Lq, c) over {@code kv} (B, Lk, c) used as keys and values. */
  public NDArray forward(NDArray query, NDArray kv) {
    Parameter.Scripted s = inProjWeight.scripted();
    if (s != null) {
      return Attention.multiHeadScripted(query, kv, s, inProjBias.array(), outProj, nhead);
    }
    return Attention.multiHead(
        query,
        kv,
        inProjWeight.array(),
        inProjBias.array(),
        outProj.weight().array(),
        outProj.bias().array(),
        nhead);
  }

  @Override
  public void lower(ScriptKernels kernels, int dtype) {
    if (inProjWeight.isBound() && !inProjWeight.isScripted()) {
      inProjWeight.script(kernels, dtype);
    }
    // out_proj is a Linear child: lowered by the walk
  }
}
