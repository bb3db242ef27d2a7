package io.cascadefarm.cascade.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * The time grid of one sampling run: {@code linspace(t_start, 0, steps+1)} in float32 and the
 * schedule values at each point (official gdf/__init__.py GDF.sample). Step {@code i} moves from
 * point {@code i} to {@code i+1}.
 */
public final class SamplingSchedule {
  private final List<ScheduleStep> points;
  private final double eta;

  private SamplingSchedule(List<ScheduleStep> points, double eta) {
    this.points = List.copyOf(points);
    this.eta = eta;
  }

  /**
   * Builds the grid for the given settings: the stage's custom time grid when it has one
   * (diffusers' {@code timesteps}), else {@code linspace(t_start, 0, steps + 1)} as gdf.
   */
  public static SamplingSchedule of(SamplerSettings settings) {
    float[] ts;
    if (settings.stage().timesteps() != null) {
      ts = new float[settings.stage().timesteps().size()];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = settings.stage().timesteps().get(i);
      }
    } else {
      ts = Timesteps.linspace(settings.tStart(), 0f, settings.steps() + 1);
    }
    List<ScheduleStep> points = new ArrayList<>(ts.length);
    for (float t : ts) {
      points.add(ScheduleStep.at(t, settings.shift()));
    }
    return new SamplingSchedule(points, settings.eta());
  }

  /** Number of sampling steps (grid points minus one). */
  public int steps() {
    return points.size() - 1;
  }

  /** Grid point {@code i} (0 .. steps). */
  public ScheduleStep point(int i) {
    return points.get(i);
  }

  /** All grid points, {@code steps + 1} of them. */
  public List<ScheduleStep> points() {
    return points;
  }

  /** The update coefficients for step {@code i} (from point i to i+1) with the run's eta. */
  public DdpmCoefficients ddpm(int i) {
    return DdpmCoefficients.between(points.get(i), points.get(i + 1), eta);
  }
}
