package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.StageSettings;

/**
 * Default settings per kind from the official notebooks (inference/*.ipynb): Stage C cfg 4, shift
 * 2, 20 steps (image-to-image: {@code int(20 * strength)} steps from {@code t = strength};
 * ControlNet super-resolution: cfg 1); Stage B always 10 steps, cfg 1.1, shift 1. Size 1024x1024,
 * one image, model {@code lite}, strength 0.8.
 */
public final class RequestDefaults {
  public static final int WIDTH = 1024;
  public static final int HEIGHT = 1024;
  public static final int IMAGES = 1;
  public static final String MODEL = "lite";
  public static final double STRENGTH = 0.8;
  public static final double CONTROL_STRENGTH = 1.0;

  /** gdf's {@code cfg_rho}, which the official notebooks never change. */
  public static final double CFG_RESCALE = io.cascadefarm.cascade.diffusion.SamplerSettings.CFG_RHO;

  public static final StageSettings DECODER = StageSettings.DECODER;

  private RequestDefaults() {}

  /** Stage C defaults of a kind; {@code strength} only matters for image-to-image. */
  public static StageSettings prior(GenerationKind kind, double strength) {
    if (kind == GenerationKind.IMAGE_TO_IMAGE) {
      return new StageSettings(Math.max(1, (int) (20 * strength)), 4.0, 2.0);
    }
    return StageSettings.PRIOR;
  }

  /** Stage C defaults for a ControlNet type (super-resolution runs at cfg 1). */
  public static StageSettings controlNetPrior(String controlType) {
    return "super_resolution".equals(controlType)
        ? new StageSettings(20, 1.0, 2.0)
        : StageSettings.PRIOR;
  }
}
