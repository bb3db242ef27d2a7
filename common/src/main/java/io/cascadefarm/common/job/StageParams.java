package io.cascadefarm.common.job;

/**
 * Sampler settings of one diffusion stage (Stage C is the prior, Stage B the decoder). A null field
 * means "use the default for the job kind"; {@link JobDefaults} resolves them.
 */
public record StageParams(Integer steps, Double guidance, Double shift) {
  public static final StageParams UNSET = new StageParams(null, null, null);

  /** Fills each null field from {@code defaults}. */
  public StageParams orElse(StageParams defaults) {
    return new StageParams(
        steps != null ? steps : defaults.steps,
        guidance != null ? guidance : defaults.guidance,
        shift != null ? shift : defaults.shift);
  }
}
