package io.cascadefarm.cascade.diffusion;

import java.util.List;

/**
 * Sampler settings of one diffusion stage: number of steps actually run, guidance scale (cfg),
 * schedule shift and, optionally, a custom time grid. A request holds one for Stage C (the prior)
 * and one for Stage B (the decoder), possibly invalid until {@code GenerationRequest.validate()}
 * says so; a sampling run is these plus its start time ({@link SamplerSettings}). For
 * image-to-image the prior's steps are the steps run from {@code t = strength} (official: {@code
 * int(20 * 0.8) = 16}).
 *
 * @param timesteps null for gdf's grid {@code linspace(t_start, 0, steps + 1)}; else the whole grid
 *     (diffusers' {@code timesteps}: strictly decreasing times in [0, 1], the first above 0, end
 *     point included, rounded to float32), and {@code steps} must be its size minus one
 */
public record StageSettings(int steps, double guidance, double shift, List<Float> timesteps) {
  /** Stage C (prior) default for text-to-image: 20 steps, cfg 4, shift 2. */
  public static final StageSettings PRIOR = new StageSettings(20, 4.0, 2.0);

  /** Stage B (decoder) default for every kind: 10 steps, cfg 1.1, shift 1. */
  public static final StageSettings DECODER = new StageSettings(10, 1.1, 1.0);

  public StageSettings {
    timesteps = timesteps == null ? null : List.copyOf(timesteps);
  }

  /** Settings on gdf's evenly spaced grid. */
  public StageSettings(int steps, double guidance, double shift) {
    this(steps, guidance, shift, null);
  }

  /** These settings on a custom time grid ({@code steps} becomes its size minus one). */
  public StageSettings withTimesteps(List<Float> grid) {
    return grid == null
        ? new StageSettings(steps, guidance, shift, null)
        : new StageSettings(grid.size() - 1, guidance, shift, grid);
  }

  /**
   * Why {@code grid} is not a valid custom grid, or null when it is: at least two times, strictly
   * decreasing, within [0, 1], the first above 0.
   */
  public static String gridProblem(List<? extends Number> grid) {
    if (grid.size() < 2) {
      return "must list at least 2 times (the start and the end point), got " + grid.size();
    }
    for (int i = 0; i < grid.size(); i++) {
      Number v = grid.get(i);
      float t = v == null ? Float.NaN : v.floatValue();
      if (!(t >= 0f && t <= 1f)) {
        return "must hold times in [0, 1], got " + v + " at " + i;
      }
      if (i > 0 && !(t < grid.get(i - 1).floatValue())) {
        return "must be strictly decreasing (as float32), but "
            + v
            + " at "
            + i
            + " follows "
            + grid.get(i - 1);
      }
    }
    if (!(grid.get(0).floatValue() > 0f)) {
      return "must start above 0";
    }
    return null;
  }
}
