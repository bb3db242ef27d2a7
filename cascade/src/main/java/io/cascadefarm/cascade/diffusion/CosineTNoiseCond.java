package io.cascadefarm.cascade.diffusion;

/**
 * gdf {@code CosineTNoiseCond}: the network input {@code r} for a logSNR, the inverse of the
 * unshifted cosine schedule (official gdf/noise_conditions.py CosineTNoiseCond). With a shift the
 * result differs from t.
 */
public final class CosineTNoiseCond {
  private CosineTNoiseCond() {}

  /** {@code r = acos(sqrt(clamp(sigmoid(logSNR),0,1) * minVar)) / (pi/2) * (1+s) - s}. */
  public static float r(float logSnr) {
    float var = F32.clamp(F32.sigmoid(logSnr), 0f, 1f);
    float s = CosineSchedule.S;
    float t = F32.acos(F32.sqrt(var * CosineSchedule.MIN_VAR)) / F32.HALF_PI * (1f + s) - s;
    return F32.clamp(t, 0f, 1f);
  }
}
