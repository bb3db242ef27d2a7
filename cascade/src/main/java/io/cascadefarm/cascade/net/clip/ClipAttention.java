package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;

/**
 * {@code CLIPAttention}: separate {@code k_proj, v_proj, q_proj, out_proj} (with bias, registered
 * in that order as in transformers), {@code softmax(q k^T / sqrt(d) + bias) v}.
 */
final class ClipAttention extends Module {
  private final Linear kProj;
  private final Linear vProj;
  private final Linear qProj;
  private final Linear outProj;
  private final int heads;

  ClipAttention(long width, int heads) {
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " not divisible by heads " + heads);
    }
    this.kProj = child("k_proj", new Linear(width, width));
    this.vProj = child("v_proj", new Linear(width, width));
    this.qProj = child("q_proj", new Linear(width, width));
    this.outProj = child("out_proj", new Linear(width, width));
    this.heads = heads;
  }

  /**
   * @param x (B, L, D)
   * @param bias additive attention bias broadcastable to (B, heads, L, L), or null for none
   */
  NDArray forward(NDArray x, NDArray bias) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    long d = x.getShape().get(2);
    long hd = d / heads;
    NDArray q =
        io.cascadefarm.cascade.nn.Autograd.mul(
            split(qProj.forward(x), heads), (float) (1.0 / Math.sqrt(hd)));
    NDArray k = split(kProj.forward(x), heads);
    NDArray v = split(vProj.forward(x), heads);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (bias != null) {
      scores = scores.add(bias);
    }
    NDArray out = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, l, d);
    return outProj.forward(out);
  }

  private static NDArray split(NDArray x, int heads) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    long d = x.getShape().get(2);
    return x.reshape(b, l, heads, d / heads).transpose(0, 2, 1, 3);
  }
}
