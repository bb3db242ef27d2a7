package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** Multi-head attention as composite ops ({@code nn.MultiheadAttention}, batch_first, no mask). */
public final class Attention {
  private Attention() {}

  /**
   * Scaled dot-product attention on (B, heads, L, d) tensors: {@code softmax(q k^T / sqrt(d)) v} (q
   * is scaled first, as PyTorch's MHA does).
   */
  public static NDArray sdpa(NDArray q, NDArray k, NDArray v) {
    long d = q.getShape().get(3);
    NDArray scores = q.div((float) Math.sqrt(d)).matMul(k.transpose(0, 1, 3, 2));
    return scores.softmax(-1).matMul(v);
  }

  /**
   * {@code nn.MultiheadAttention(query, kv, kv)} with packed {@code in_proj_weight} (3C, C) in q,
   * k, v row order, {@code in_proj_bias} (3C), and {@code out_proj}. Inputs (B, L, C).
   */
  public static NDArray multiHead(
      NDArray query,
      NDArray kv,
      NDArray inProjWeight,
      NDArray inProjBias,
      NDArray outWeight,
      NDArray outBias,
      int nhead) {
    long c = query.getShape().get(2);
    NDArray wq = Scope.local(inProjWeight.get("0:" + c), query);
    NDArray wkv = Scope.local(inProjWeight.get(c + ":"), query);
    NDArray bq = inProjBias == null ? null : Scope.local(inProjBias.get("0:" + c), query);
    NDArray bkv = inProjBias == null ? null : Scope.local(inProjBias.get(c + ":"), query);
    NDArray q = heads(Ops.linear(query, wq, bq), nhead);
    NDArray kvp = Ops.linear(kv, wkv, bkv);
    NDArray k = heads(kvp.get(":, :, 0:" + c), nhead);
    NDArray v = heads(kvp.get(":, :, " + c + ":"), nhead);
    NDArray o = sdpa(q, k, v);
    long b = o.getShape().get(0);
    long l = o.getShape().get(2);
    NDArray merged = o.transpose(0, 2, 1, 3).reshape(b, l, c);
    return Ops.linear(merged, outWeight, outBias);
  }

  private static NDArray heads(NDArray x, int nhead) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    long c = x.getShape().get(2);
    return x.reshape(b, l, nhead, c / nhead).transpose(0, 2, 1, 3);
  }
}
