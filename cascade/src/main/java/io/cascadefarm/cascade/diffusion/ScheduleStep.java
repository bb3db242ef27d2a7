package io.cascadefarm.cascade.diffusion;

/**
 * The schedule values at one time-grid point: time {@code t}, its (shifted, clamped) logSNR, the
 * network input {@code r} and the VP scalers {@code a}, {@code b}. All float32.
 */
public record ScheduleStep(float t, float logSnr, float r, float a, float b) {

  /** Evaluates the schedule at {@code t} with {@code shift}. */
  public static ScheduleStep at(float t, double shift) {
    float logSnr = CosineSchedule.logSnr(t, shift);
    VpScaler scaler = VpScaler.of(logSnr);
    return new ScheduleStep(t, logSnr, CosineTNoiseCond.r(logSnr), scaler.a(), scaler.b());
  }
}
