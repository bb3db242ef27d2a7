package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ModuleList;

/** {@code CLIPEncoder}: keys {@code layers.<n>.*}. */
final class ClipEncoder extends Module {
  private final ModuleList<ClipEncoderLayer> layers;

  ClipEncoder(ClipTowerShape shape) {
    this.layers = child("layers", new ModuleList<>());
    for (int i = 0; i < shape.layers(); i++) {
      layers.add(new ClipEncoderLayer(shape));
    }
  }

  /** Output of the last layer (= {@code hidden_states[-1]}). */
  NDArray forward(NDArray x, NDArray bias) {
    NDArray h = x;
    for (ClipEncoderLayer layer : layers) {
      NDArray next = layer.forward(h, bias);
      if (h != x) {
        h.close();
      }
      h = next;
    }
    return h;
  }
}
