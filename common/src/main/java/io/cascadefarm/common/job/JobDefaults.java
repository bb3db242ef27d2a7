package io.cascadefarm.common.job;

import java.util.function.LongSupplier;

/**
 * Default settings per job kind, from the Stable Cascade spec section 5.10: Stage C 20 steps, cfg
 * 4, shift 2 (image-to-image: 16 steps from t=0.8; super-resolution: cfg 1); Stage B 10 steps, cfg
 * 1.1, shift 1. Size 1024x1024, one image, model {@code lite}.
 */
public final class JobDefaults {
  public static final int WIDTH = 1024;
  public static final int HEIGHT = 1024;
  public static final int IMAGES = 1;
  public static final String MODEL = "lite";
  public static final double STRENGTH = 0.8;
  public static final double CONTROL_STRENGTH = 1.0;
  public static final StageParams DECODER = new StageParams(10, 1.1, 1.0);

  private JobDefaults() {}

  /** Stage C defaults for a kind (and ControlNet type, which may be null). */
  public static StageParams prior(JobKind kind, String control, Double strength) {
    if (kind == JobKind.IMAGE_TO_IMAGE) {
      double s = strength == null ? STRENGTH : strength;
      return new StageParams((int) (20 * s), 4.0, 2.0);
    }
    if (kind == JobKind.CONTROLNET && "super_resolution".equals(control)) {
      return new StageParams(20, 1.0, 2.0);
    }
    return new StageParams(20, 4.0, 2.0);
  }

  /**
   * Returns {@code p} with every unset field filled; the seed comes from {@code seeds} if absent.
   */
  public static JobParams resolve(JobParams p, LongSupplier seeds) {
    JobKind kind = p.kind() == null ? JobKind.TEXT_TO_IMAGE : p.kind();
    boolean usesStrength = kind == JobKind.IMAGE_TO_IMAGE;
    Double strength = p.strength() != null ? p.strength() : (usesStrength ? STRENGTH : null);
    boolean controlnet = kind == JobKind.CONTROLNET;
    return new JobParams(
        kind,
        p.prompt() == null ? "" : p.prompt(),
        p.negativePrompt() == null ? "" : p.negativePrompt(),
        p.width() == null ? WIDTH : p.width(),
        p.height() == null ? HEIGHT : p.height(),
        p.seed() == null ? seeds.getAsLong() & Long.MAX_VALUE : p.seed(),
        p.images() == null ? IMAGES : p.images(),
        p.model() == null ? MODEL : p.model(),
        p.prior().orElse(prior(kind, p.control(), strength)),
        p.decoder().orElse(DECODER),
        p.image(),
        strength,
        p.control(),
        p.mask(),
        controlStrength(controlnet, p.controlStrength()),
        p.loras(),
        p.metadata());
  }

  private static Double controlStrength(boolean controlnet, Double given) {
    if (given != null || !controlnet) {
      return given;
    }
    return CONTROL_STRENGTH;
  }
}
