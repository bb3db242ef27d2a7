package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_(params, max_norm)} (2-norm): the total norm is the norm of
 * the per-tensor norms; every gradient is multiplied by {@code min(1, max_norm / (total + 1e-6))}.
 */
public final class GradClip {
  private GradClip() {}

  /** Clips {@code grads} in place and returns the total norm before clipping. */
  public static float clip(List<NDArray> grads, double maxNorm) {
    double sumSq = 0;
    float[] norms = new float[grads.size()];
    for (int i = 0; i < grads.size(); i++) {
      try (NDArray n = grads.get(i).norm()) {
        norms[i] = n.getFloat();
      }
    }
    for (float n : norms) {
      sumSq += (double) n * n;
    }
    float total = (float) Math.sqrt(sumSq);
    float coef = (float) (maxNorm / (total + 1e-6));
    if (coef < 1f) {
      for (NDArray g : grads) {
        g.muli(coef);
      }
    }
    return total;
  }
}
