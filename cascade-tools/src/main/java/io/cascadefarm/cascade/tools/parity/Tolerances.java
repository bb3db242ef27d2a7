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

  /** Trace tolerance: about 10x the final-output tolerance. */
  public static double forTrace(Fixture fixture) {
    return 10 * forFixture(fixture);
  }
}
