package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * {@code gen_r_embedding}: computed with libtorch float32 ops in the official order ({@code
 * r*10000}, {@code arange(half) * -(ln(1e4)/(half-1))} with the scalar rounded to float32, {@code
 * exp}, outer product, {@code [sin, cos]}, zero pad for odd {@code c_r}). Arguments reach 1e4, so
 * doing this in float64 or with Java's exp moves the embedding by ~1e-4 (see parity NOTES).
 */
public final class REmbedding {
  private REmbedding() {}

  /** (B) -> (B, cR). */
  public static NDArray embed(NDArray r, int cR) {
    NDManager m = r.getManager();
    int half = cR / 2;
    float step = (float) (Math.log(10000.0) / (half - 1));
    NDArray freq = m.arange(0, half, 1, DataType.FLOAT32).mul(-step).exp();
    NDArray args = r.mul(10000f).reshape(-1, 1).mul(freq.reshape(1, half));
    NDArray emb = args.sin().concat(args.cos(), 1);
    if (cR % 2 == 1) {
      emb = emb.concat(m.zeros(new ai.djl.ndarray.types.Shape(emb.getShape().get(0), 1)), 1);
    }
    return emb;
  }

  /** {@code [emb(r), emb(cond_1), ...]}; absent conditions are zeros like r. */
  public static NDArray embedAll(NDArray r, java.util.List<NDArray> conds, int cR) {
    NDArray out = embed(r, cR);
    for (NDArray c : conds) {
      out = out.concat(embed(c == null ? r.zerosLike() : c, cR), 1);
    }
    return out;
  }
}
