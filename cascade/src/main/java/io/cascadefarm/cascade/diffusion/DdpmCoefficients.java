package io.cascadefarm.cascade.diffusion;

/**
 * Scalars of one DDPM step (gdf {@code DDIMSampler.step} with eta = 1, official gdf/samplers.py):
 * {@code x_next = aNext*x0 + epsScale*eps + sigma*noise} with {@code sigma = sqrt(bNext^2/b^2) *
 * sqrt(1 - a^2/aNext^2)} and {@code epsScale = sqrt(bNext^2 - sigma^2)}, in float32 as torch
 * computes them.
 */
public record DdpmCoefficients(float aNext, float epsScale, float sigma) {

  /** DDPM ({@code eta = 1}) coefficients for the move from {@code from} to {@code to}. */
  public static DdpmCoefficients between(ScheduleStep from, ScheduleStep to) {
    return between(from, to, 1.0);
  }

  /**
   * {@code DDIMSampler.step} coefficients with {@code eta}: {@code sigma = eta * sqrt(bNext^2/b^2)
   * * sqrt(1 - a^2/aNext^2)} for {@code eta > 0}, else 0 (DDIM; the official step still adds {@code
   * 0 * noise}).
   */
  public static DdpmCoefficients between(ScheduleStep from, ScheduleStep to, double eta) {
    float a = from.a();
    float b = from.b();
    float aNext = to.a();
    float bNext = to.b();
    float sigma =
        eta > 0
            ? (float) eta
                * F32.sqrt(bNext * bNext / (b * b))
                * F32.sqrt(1f - a * a / (aNext * aNext))
            : 0f;
    float epsScale = F32.sqrt(bNext * bNext - sigma * sigma);
    return new DdpmCoefficients(aNext, epsScale, sigma);
  }
}
