package io.cascadefarm.cascade.parity;

/**
 * Per-fixture acceptance tolerances (max|port-ref| / max|ref| per float output) from the parity
 * NOTES; integer outputs must match exactly.
 */
public final class Tolerances {
  private Tolerances() {}

  /** Tolerance for a fixture name (holdout fixtures share the dev names). */
  public static double forFixture(Fixture fixture) {
    String n = fixture.name();
    switch (n) {
      case "stage_a", "previewer", "effnet_tiny", "controlnet_simple", "controlnet_sr_full":
        return 1e-5;
      case "effnet_full", "controlnet_canny_full":
        return 5e-4;
      case "stage_c", "stage_c_lora", "stage_c_cnet", "stage_b":
        return 1e-3;
      default:
        return fixture.isSampler() ? 1e-3 : 1e-3;
    }
  }

  /** Trace tolerance: about 10x the final-output tolerance. */
  public static double forTrace(Fixture fixture) {
    return 10 * forFixture(fixture);
  }
}
