package io.cascadefarm.cascade.diffusion;

/**
 * gdf {@code VPScaler}: {@code a = sqrt(sigmoid(logSNR))}, {@code b = sqrt(1 - sigmoid(logSNR))}; a
 * noised latent is {@code a*x0 + b*eps} (official gdf/scalers.py VPScaler).
 */
public record VpScaler(float a, float b) {

  /** The scalers for one logSNR value, in float32. */
  public static VpScaler of(float logSnr) {
    float aSquared = F32.sigmoid(logSnr);
    return new VpScaler(F32.sqrt(aSquared), F32.sqrt(1f - aSquared));
  }
}
