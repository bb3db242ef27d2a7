package io.cascadefarm.cascade.diffusion;

/**
 * One gdf sampling run: a stage's {@link StageSettings} (steps, guidance scale, shift) and the
 * start time (1.0 = from pure noise; image-to-image starts lower). The CFG rescale uses {@link
 * #CFG_RHO}, the end time is always 0, the sampler is DDPM (eta = 1).
 */
public record SamplerSettings(StageSettings stage, float tStart) {
  /** gdf's default {@code cfg_rho}, never overridden by the official code. */
  public static final double CFG_RHO = 0.7;

  public SamplerSettings {
    if (stage.steps() < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + stage.steps());
    }
    if (!(stage.shift() > 0)) {
      throw new IllegalArgumentException("shift must be > 0, got " + stage.shift());
    }
    if (!(tStart > 0f && tStart <= 1f)) {
      throw new IllegalArgumentException("tStart must be in (0, 1], got " + tStart);
    }
  }

  /** A run of {@code steps} steps at guidance {@code cfg} and {@code shift} from {@code tStart}. */
  public SamplerSettings(int steps, double cfg, double shift, float tStart) {
    this(new StageSettings(steps, cfg, shift), tStart);
  }

  /** Sampling from pure noise (t_start = 1). */
  public static SamplerSettings fromNoise(int steps, double cfg, double shift) {
    return new SamplerSettings(steps, cfg, shift, 1f);
  }

  /** Sampling a stage from pure noise (t_start = 1). */
  public static SamplerSettings fromNoise(StageSettings stage) {
    return new SamplerSettings(stage, 1f);
  }

  public int steps() {
    return stage.steps();
  }

  /** The guidance scale. */
  public double cfg() {
    return stage.guidance();
  }

  public double shift() {
    return stage.shift();
  }
}
