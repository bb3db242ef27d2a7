package io.cascadefarm.cascade.diffusion;

/**
 * gdf {@code CosineSchedule(clamp_range=[1e-4, 0.9999])}: maps time {@code t} in [0,1] to logSNR
 * (official gdf/schedules.py CosineSchedule). A shift adds {@code 2 ln(1/shift)} and the result is
 * clamped to the unshifted limits {@code [logSNR(1), logSNR(0)]}. All arithmetic is float32,
 * operation by operation as in torch.
 */
public final class CosineSchedule {
  /** The cosine offset {@code s}. */
  public static final float S = 0.008f;

  /** {@code cos(s/(1+s) * pi/2)^2}, the variance at t = 0 before normalisation. */
  public static final float MIN_VAR = minVar();

  private static final float CLAMP_LO = 1e-4f;
  private static final float CLAMP_HI = 0.9999f;
  private static final float LIMIT_MIN = unshifted(1f);
  private static final float LIMIT_MAX = unshifted(0f);

  private CosineSchedule() {}

  private static float minVar() {
    float c = F32.cos(S / (1f + S) * F32.PI * 0.5f);
    return c * c;
  }

  private static float unshifted(float t) {
    float tc = F32.clamp(t, 0f, 1f);
    float c = F32.clamp(F32.cos((S + tc) / (1f + S) * F32.PI * 0.5f), 0f, 1f);
    float var = F32.clamp(c * c / MIN_VAR, CLAMP_LO, CLAMP_HI);
    return F32.log(var / (1f - var));
  }

  /** logSNR(t) with the given shift (1 = none), clamped to the unshifted limits. */
  public static float logSnr(float t, double shift) {
    float logSnr = unshifted(t);
    if (shift != 1.0) {
      logSnr += (float) (2.0 * Math.log(1.0 / shift));
    }
    return F32.clamp(logSnr, LIMIT_MIN, LIMIT_MAX);
  }

  /** The lowest logSNR (at t = 1), about -9.21024. */
  public static float minLogSnr() {
    return LIMIT_MIN;
  }

  /** The highest logSNR (at t = 0), about +9.21007 in float32. */
  public static float maxLogSnr() {
    return LIMIT_MAX;
  }
}
