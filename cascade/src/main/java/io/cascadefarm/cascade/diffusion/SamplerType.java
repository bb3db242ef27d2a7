package io.cascadefarm.cascade.diffusion;

import java.util.Locale;

/**
 * The gdf sampler of a stage ({@code gdf/samplers.py}): {@code DDPMSampler} is {@code
 * DDIMSampler.step} with {@code eta = 1} (fresh noise scaled by sigma every step, the official
 * default), {@code DDIMSampler} keeps its default {@code eta = 0} (deterministic; the official code
 * still draws the noise and multiplies it by 0).
 */
public enum SamplerType {
  DDPM(1.0),
  DDIM(0.0);

  private final double eta;

  SamplerType(double eta) {
    this.eta = eta;
  }

  /** The DDIM {@code eta} of this sampler. */
  public double eta() {
    return eta;
  }

  /** {@code ddpm} or {@code ddim}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code ddpm} / {@code ddim} (case-insensitive). */
  public static SamplerType parse(String name) {
    for (SamplerType t : values()) {
      if (t.wireName().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("sampler must be ddpm or ddim, got " + name);
  }
}
