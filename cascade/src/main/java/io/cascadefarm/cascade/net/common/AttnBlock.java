package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.MultiheadAttention;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * "A" block: {@code kv = Linear(SiLU(cond))}; with self-attention the keys/values are the
 * normalised image tokens followed by kv; {@code x + MHA(LN2d(x) tokens, kv)}. Keys {@code
 * attention.attn.*}, {@code kv_mapper.1.*}.
 */
public class AttnBlock extends Module {
  private final MultiheadAttention attn;
  private final Sequential kvMapper;
  private final boolean selfAttn;

  public AttnBlock(long c, long cCond, int nhead, boolean selfAttn) {
    this.attn = child("attention", new Attention2D(c, nhead)).attn;
    this.kvMapper = child("kv_mapper", new Sequential().add(Ops::silu).add(new Linear(cCond, c)));
    this.selfAttn = selfAttn;
  }

  public NDArray forward(NDArray x, NDArray cond) {
    NDArray kv = kvMapper.forward(cond);
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    NDArray tokens = Norms.layerNorm2d(x, null, null, 1e-6f).reshape(b, c, -1).transpose(0, 2, 1);
    NDArray keys = selfAttn ? tokens.concat(kv, 1) : kv;
    NDArray out = attn.forward(tokens, keys).transpose(0, 2, 1).reshape(x.getShape());
    return x.add(out);
  }

  /** {@code Attention2D}: holds {@code attn}. */
  static final class Attention2D extends Module {
    final MultiheadAttention attn;

    Attention2D(long c, int nhead) {
      attn = child("attn", new MultiheadAttention(c, nhead));
    }
  }
}
