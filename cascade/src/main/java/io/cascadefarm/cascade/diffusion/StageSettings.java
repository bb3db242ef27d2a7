package io.cascadefarm.cascade.diffusion;

/**
 * Sampler settings of one diffusion stage: number of steps actually run, guidance scale (cfg) and
 * schedule shift. A request holds one for Stage C (the prior) and one for Stage B (the decoder),
 * possibly invalid until {@code GenerationRequest.validate()} says so; a sampling run is these plus
 * its start time ({@link SamplerSettings}). For image-to-image the prior's steps are the steps run
 * from {@code t = strength} (official: {@code int(20 * 0.8) = 16}).
 */
public record StageSettings(int steps, double guidance, double shift) {
  /** Stage C (prior) default for text-to-image: 20 steps, cfg 4, shift 2. */
  public static final StageSettings PRIOR = new StageSettings(20, 4.0, 2.0);

  /** Stage B (decoder) default for every kind: 10 steps, cfg 1.1, shift 1. */
  public static final StageSettings DECODER = new StageSettings(10, 1.1, 1.0);
}
