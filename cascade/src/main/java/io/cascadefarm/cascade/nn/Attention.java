package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Multi-head attention as composite ops ({@code nn.MultiheadAttention}, batch_first, no mask). */
public final class Attention {
  private Attention() {}

  /**
   * Most bytes one block of attention scores (B, heads, query rows, Lk) may take: larger problems
   * are computed in chunks of query rows, each in its own memory scope, so attention's peak memory
   * is bounded by about this much (plus the output) whatever the image size. Stage B at 1024x1024,
   * batch 4 with CFG, would otherwise hold ~670 MB of scores per level-2 block. Exact: softmax rows
   * are independent.
   */
  public static final long SCORE_BLOCK_BYTES = 128L << 20;

  /**
   * Scaled dot-product attention on (B, heads, L, d) tensors: {@code softmax(q k^T / sqrt(d)) v} (q
   * is scaled first, as PyTorch's MHA does), in query chunks of at most {@link #SCORE_BLOCK_BYTES}
   * of scores.
   */
  public static NDArray sdpa(NDArray q, NDArray k, NDArray v) {
    return sdpa(q, k, v, SCORE_BLOCK_BYTES);
  }

  /** As {@link #sdpa(NDArray, NDArray, NDArray)} with another score budget (tests). */
  static NDArray sdpa(NDArray q, NDArray k, NDArray v, long scoreBytes) {
    long lq = q.getShape().get(2);
    long rows = queryRowsPerChunk(q.getShape(), k.getShape().get(2), q.getDataType(), scoreBytes);
    if (rows >= lq) {
      return block(q, k, v);
    }
    NDList parts = new NDList();
    for (long start = 0; start < lq; start += rows) {
      String slice = ":, :, " + start + ":" + Math.min(lq, start + rows);
      parts.add(Scope.run(() -> block(q.get(slice), k, v), q, k, v));
    }
    NDArray out = NDArrays.concat(parts, 2);
    parts.close();
    return out;
  }

  /** Query rows whose scores fit {@code scoreBytes} (at least one). */
  static long queryRowsPerChunk(Shape q, long keys, DataType type, long scoreBytes) {
    long bytesPerRow = q.get(0) * q.get(1) * keys * type.getNumOfBytes();
    return Math.max(1, scoreBytes / Math.max(1, bytesPerRow));
  }

  private static NDArray block(NDArray q, NDArray k, NDArray v) {
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
