package io.cascadefarm.cascade.diffusion;

/**
 * One gdf sampling run: a stage's {@link StageSettings} (steps, guidance scale, shift, optional
 * time grid), the start time (1.0 = from pure noise; image-to-image starts lower), the sampler
 * ({@code eta}: 1 = DDPM, 0 = DDIM) and the CFG rescale {@code cfg_rho} (gdf's default {@link
 * #CFG_RHO}; 0 turns the rescale off). The end time of gdf's own grid is 0.
 */
public record SamplerSettings(StageSettings stage, float tStart, double eta, double cfgRho) {
  /** gdf's default {@code cfg_rho}, which the official notebooks never override. */
  public static final double CFG_RHO = 0.7;

  public SamplerSettings {
    if (stage.timesteps() == null && stage.steps() < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + stage.steps());
    }
    if (stage.timesteps() != null) {
      String problem = StageSettings.gridProblem(stage.timesteps());
      if (problem != null) {
        throw new IllegalArgumentException("timesteps " + problem);
      }
    }
    if (!(stage.shift() > 0)) {
      throw new IllegalArgumentException("shift must be > 0, got " + stage.shift());
    }
    if (!(tStart > 0f && tStart <= 1f)) {
      throw new IllegalArgumentException("tStart must be in (0, 1], got " + tStart);
    }
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
    if (!(cfgRho >= 0 && cfgRho <= 1)) {
      throw new IllegalArgumentException("cfgRho must be in [0, 1], got " + cfgRho);
    }
  }

  /** The official run: DDPM with {@code cfg_rho} 0.7. */
  public SamplerSettings(StageSettings stage, float tStart) {
    this(stage, tStart, SamplerType.DDPM.eta(), CFG_RHO);
  }

  /**
   * A DDPM run of {@code steps} steps at guidance {@code cfg} and {@code shift} from {@code
   * tStart}.
   */
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

  /** This run with {@code sampler} and CFG rescale {@code rho}. */
  public SamplerSettings with(SamplerType sampler, double rho) {
    return new SamplerSettings(stage, tStart, sampler.eta(), rho);
  }

  /** Steps run: the custom grid's size minus one, else {@code stage.steps()}. */
  public int steps() {
    return stage.timesteps() != null ? stage.timesteps().size() - 1 : stage.steps();
  }

  /** The guidance scale. */
  public double cfg() {
    return stage.guidance();
  }

  public double shift() {
    return stage.shift();
  }
}
