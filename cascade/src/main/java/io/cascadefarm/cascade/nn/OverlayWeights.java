package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.TensorInfo;
import java.util.Arrays;
import java.util.Map;

/**
 * A base source whose entries are replaced by those of an overlay (e.g. hashinit weights with the
 * stored BatchNorm statistics on top). Every overlay key must exist in the base with the same
 * shape.
 */
public final class OverlayWeights implements WeightSource {
  private final WeightSource base;
  private final WeightSource overlay;

  public OverlayWeights(WeightSource base, WeightSource overlay) {
    this.base = base;
    this.overlay = overlay;
    Map<String, long[]> baseShapes = base.shapes();
    overlay
        .shapes()
        .forEach(
            (key, shape) -> {
              long[] expected = baseShapes.get(key);
              if (expected == null || !Arrays.equals(expected, shape)) {
                throw new IllegalArgumentException(
                    "overlay key '"
                        + key
                        + "' "
                        + TensorInfo.shapeText(shape)
                        + " has no counterpart of that shape in the base weights");
              }
            });
  }

  @Override
  public Map<String, long[]> shapes() {
    return base.shapes();
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    return overlay.shapes().containsKey(key) ? overlay.load(key, manager) : base.load(key, manager);
  }

  @Override
  public void close() throws Exception {
    try (base;
        overlay) {
      // closes both
    }
  }
}
