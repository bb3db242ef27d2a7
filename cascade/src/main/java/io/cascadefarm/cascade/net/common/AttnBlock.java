package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.MultiheadAttention;
import io.cascadefarm.cascade.nn.Norms;
import io.cascadefarm.cascade.nn.Ops;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * "A" block: {@code kv = Linear(SiLU(cond))}; with self-attention the keys/values are the
 * normalised image tokens followed by kv; {@code x + MHA(LN2d(x) tokens, kv)}. Keys {@code
 * attention.attn.*}, {@code kv_mapper.1.*}. Inference forwards run as one {@link BlockScripts} call
 * when it applies.
 */
public class AttnBlock extends Module {
  private final MultiheadAttention attn;
  private final Sequential kvMapper;
  private final boolean selfAttn;
  private final int nhead;
  private final Parameter[] params;

  public AttnBlock(long c, long cCond, int nhead, boolean selfAttn) {
    this.attn = child("attention", new Attention2D(c, nhead)).attn;
    Linear kv = new Linear(cCond, c);
    this.kvMapper = child("kv_mapper", new Sequential().add(Ops::silu).add(kv));
    this.selfAttn = selfAttn;
    this.nhead = nhead;
    this.params =
        new Parameter[] {
          kv.weight(),
          kv.bias(),
          attn.inProjWeight(),
          attn.inProjBias(),
          attn.outProj().weight(),
          attn.outProj().bias()
        };
  }

  public NDArray forward(NDArray x, NDArray cond) {
    return BlockScripts.appliesToAttention(params) ? forwardScripted(x, cond) : forwardOps(x, cond);
  }

  /**
   * The forward as one {@link BlockScripts} call with the fused attention kernel (inference only;
   * weights held as arrays).
   */
  public NDArray forwardScripted(NDArray x, NDArray cond) {
    return BlockScripts.shared(x.getDevice())
        .attn(x, cond, BlockScripts.arrays(params), nhead, selfAttn);
  }

  /**
   * The op-by-op forward (differentiable: training, {@code FARM_BLOCKS=ops} and {@code
   * FARM_ATTENTION=composite}).
   */
  public NDArray forwardOps(NDArray x, NDArray cond) {
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
