package io.cascadefarm.cascade.tools.parity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-fixture acceptance tolerances (max|port-ref| / max|ref| per float output); integer outputs
 * must match exactly. A numeric {@code tolerance} field in the fixture JSON wins (the generated
 * fixtures of {@code tools/parity-gen} carry one, chosen per network family from the parity NOTES);
 * otherwise the tolerance is chosen by the dev/holdout fixture name, and unknown names get 1e-3.
 */
public final class Tolerances {
  private Tolerances() {}

  /** The fixture's {@code tolerance} field when positive, else the value for its name. */
  public static double forFixture(Fixture fixture) {
    JsonNode t = fixture.json().get("tolerance");
    if (t != null && t.isNumber() && t.asDouble() > 0) {
      return t.asDouble();
    }
    return forName(fixture.name());
  }

  /** Tolerance by dev/holdout fixture name (holdout fixtures share the dev names). */
  static double forName(String name) {
    switch (name) {
      case "stage_a", "previewer", "effnet_tiny", "controlnet_simple", "controlnet_sr_full":
        return 1e-5;
      case "effnet_full", "controlnet_canny_full":
        return 5e-4;
      default:
        // stage_c, stage_c_lora, stage_c_cnet, stage_b, samplers and unknown names
        return 1e-3;
    }
  }

  /**
   * Tolerance of {@code fixture} run at {@code precision} ({@link
   * FixtureContext#PRECISION_PROPERTY} values): fp32 as {@link #forFixture}; fp16 1e-2 and bf16
   * 5e-2, on the largest relative error over all outputs (fp16 keeps 11 mantissa bits, bf16 8:
   * about 0.1-0.4 % and 1-2 % after a network; docs/performance.md, "Precision per network").
   */
  public static double forPrecision(Fixture fixture, String precision) {
    return switch (precision) {
      case "fp32" -> forFixture(fixture);
      case "fp16" -> 1e-2;
      case "bf16" -> 5e-2;
      default ->
          throw new IllegalArgumentException(
              FixtureContext.PRECISION_PROPERTY + " must be fp32, fp16 or bf16, got " + precision);
    };
  }

  /** The precision fixture runs use: {@link FixtureContext#PRECISION_PROPERTY}, default fp32. */
  public static String runPrecision() {
    return System.getProperty(FixtureContext.PRECISION_PROPERTY, "fp32").trim().toLowerCase();
  }

  /** Trace tolerance: about 10x the final-output tolerance. */
  public static double forTrace(Fixture fixture) {
    return 10 * forFixture(fixture);
  }
}
