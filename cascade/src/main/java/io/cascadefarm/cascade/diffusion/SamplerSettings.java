package io.cascadefarm.cascade.diffusion;

/**
 * Settings of one gdf sampling run: number of steps, guidance scale (cfg), schedule shift and start
 * time (1.0 = from pure noise; image-to-image starts lower). The CFG rescale uses {@link #CFG_RHO},
 * the end time is always 0, the sampler is DDPM (eta = 1).
 */
public record SamplerSettings(int steps, double cfg, double shift, float tStart) {
  /** gdf's default {@code cfg_rho}, never overridden by the official code. */
  public static final double CFG_RHO = 0.7;

  public SamplerSettings {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (!(shift > 0)) {
      throw new IllegalArgumentException("shift must be > 0, got " + shift);
    }
    if (!(tStart > 0f && tStart <= 1f)) {
      throw new IllegalArgumentException("tStart must be in (0, 1], got " + tStart);
    }
  }

  /** Sampling from pure noise (t_start = 1). */
  public static SamplerSettings fromNoise(int steps, double cfg, double shift) {
    return new SamplerSettings(steps, cfg, shift, 1f);
  }
}
