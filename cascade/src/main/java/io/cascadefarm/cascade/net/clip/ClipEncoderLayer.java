package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Scope;

/** Pre-LN transformer layer: {@code x += attn(ln1(x)); x += mlp(ln2(x))}. */
final class ClipEncoderLayer extends Module {
  private final ClipAttention selfAttn;
  private final LayerNorm layerNorm1;
  private final ClipMlp mlp;
  private final LayerNorm layerNorm2;

  ClipEncoderLayer(ClipTowerShape shape) {
    this.selfAttn = child("self_attn", new ClipAttention(shape.width(), shape.heads()));
    this.layerNorm1 = child("layer_norm1", LayerNorm.lastAxis(shape.width(), true, shape.eps()));
    this.mlp = child("mlp", new ClipMlp(shape.width(), shape.intermediate(), shape.activation()));
    this.layerNorm2 = child("layer_norm2", LayerNorm.lastAxis(shape.width(), true, shape.eps()));
  }

  /** Runs the layer in a sub-manager so that its intermediates are freed on return. */
  NDArray forward(NDArray x, NDArray bias) {
    return Scope.run(
        () -> {
          NDArray h = x.add(selfAttn.forward(layerNorm1.forward(x), bias));
          return h.add(mlp.forward(layerNorm2.forward(h)));
        },
        x,
        bias);
  }
}
