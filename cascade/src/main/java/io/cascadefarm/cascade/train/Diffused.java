package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.CosineSchedule;
import io.cascadefarm.cascade.diffusion.CosineTNoiseCond;
import io.cascadefarm.cascade.diffusion.VpScaler;

/**
 * gdf {@code GDF.diffuse(x0, epsilon, t, shift=1, loss_shift=1)} with the trainers' setup ({@code
 * CosineSchedule(clamp_range=[1e-4, 0.9999])}, {@code VPScaler}, {@code EpsilonTarget}, {@code
 * CosineTNoiseCond}): {@code noised = a*x0 + b*eps}, target {@code eps}, the network's noise
 * condition {@code r} and the per-sample loss weight. Schedule maths in float32 as torch.
 *
 * @param noised (B, C, H, W)
 * @param target the epsilon target (B, C, H, W)
 * @param logSnr per sample
 * @param noiseCond the network input r (B)
 * @param lossWeight per sample
 */
public record Diffused(
    NDArray noised, NDArray target, float[] logSnr, NDArray noiseCond, float[] lossWeight) {

  /** Diffuses {@code x0} with {@code epsilon} at times {@code t}; arrays live in {@code m}. */
  public static Diffused of(
      NDArray x0, NDArray epsilon, float[] t, LossWeight weight, NDManager m) {
    int b = t.length;
    float[] logSnr = new float[b];
    float[] a = new float[b];
    float[] s = new float[b];
    float[] r = new float[b];
    for (int i = 0; i < b; i++) {
      logSnr[i] = CosineSchedule.logSnr(t[i], 1.0);
      VpScaler v = VpScaler.of(logSnr[i]);
      a[i] = v.a();
      s[i] = v.b();
      r[i] = CosineTNoiseCond.r(logSnr[i]);
    }
    Shape col = new Shape(b, 1, 1, 1);
    NDArray noised = x0.mul(m.create(a, col)).add(epsilon.mul(m.create(s, col)));
    return new Diffused(noised, epsilon, logSnr, m.create(r), weight.weight(logSnr));
  }
}
