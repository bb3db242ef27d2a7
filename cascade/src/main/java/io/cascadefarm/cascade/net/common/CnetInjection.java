package io.cascadefarm.cascade.net.common;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Resample;
import java.util.List;

/**
 * The official {@code ControlNetDeliverer}: the k-th ResBlock invocation (down path, then up path,
 * every repeat consuming an index) gets {@code cnet[k]}; when present it is resized (bilinear,
 * align_corners=True) to x and added before the block. Indices past the list deliver nothing.
 */
public final class CnetInjection {
  private final List<NDArray> projections;
  private int index;

  public CnetInjection(List<NDArray> projections) {
    this.projections = projections;
  }

  /** Applies the next projection (if any) to {@code x}. */
  public NDArray next(NDArray x) {
    NDArray p = index < projections.size() ? projections.get(index) : null;
    index++;
    if (p == null) {
      return x;
    }
    return x.add(Resample.bilinearAc(p, x.getShape().get(2), x.getShape().get(3)));
  }

  /** Number of ResBlock invocations seen so far. */
  public int consumed() {
    return index;
  }
}
