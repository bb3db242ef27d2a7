package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Layer;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Sequential;

/**
 * torchvision {@code MBConv} / {@code FusedMBConv} at inference: {@code block} (a sequential of
 * conv units, keys {@code block.<m>.*}) plus the identity shortcut when the stride is 1 and the
 * width is unchanged (stochastic depth is the identity in eval mode).
 */
public final class InvertedResidual extends Module implements Layer {
  private final Sequential block;
  private final boolean residual;

  private InvertedResidual(Sequential block, boolean residual) {
    this.block = child("block", block);
    this.residual = residual;
  }

  /** Builds one block of {@code stage} with the given input channels and stride. */
  static InvertedResidual create(StageSetting stage, int in, int stride, float eps) {
    int out = stage.outChannels();
    int expanded = stage.expandedChannels(in);
    int k = stage.kernel();
    Sequential b = new Sequential();
    if (stage.block() == BlockType.FUSED_MBCONV) {
      if (expanded != in) {
        b.add(ConvNormAct.of(in, expanded, k, stride, 1, eps, true));
        b.add(ConvNormAct.of(expanded, out, 1, 1, 1, eps, false));
      } else {
        b.add(ConvNormAct.of(in, out, k, stride, 1, eps, true));
      }
    } else {
      if (expanded != in) {
        b.add(ConvNormAct.of(in, expanded, 1, 1, 1, eps, true));
      }
      b.add(ConvNormAct.of(expanded, expanded, k, stride, expanded, eps, true));
      b.add(new SqueezeExcitation(expanded, Math.max(1, in / 4)));
      b.add(ConvNormAct.of(expanded, out, 1, 1, 1, eps, false));
    }
    return new InvertedResidual(b, stride == 1 && in == out);
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray y = block.forward(x);
    return residual ? y.add(x) : y;
  }
}
