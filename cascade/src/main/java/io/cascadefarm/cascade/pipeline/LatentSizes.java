package io.cascadefarm.cascade.pipeline;

/**
 * The official latent-size formulas (official inference/utils.py calculate_latent_sizes): Stage C
 * {@code ceil(px / 42.67)}, Stage B {@code ceil(px / 4)}, each computed from the pixel size.
 */
public final class LatentSizes {
  /** Stage C compression (1024 / 24). */
  public static final double STAGE_C = 42.67;

  /** Stage A compression. */
  public static final int STAGE_B = 4;

  private LatentSizes() {}

  public static int stageC(int px) {
    return (int) Math.ceil(px / STAGE_C);
  }

  public static int stageB(int px) {
    return (px + STAGE_B - 1) / STAGE_B;
  }
}
