package io.cascadefarm.common.port;

/**
 * A renderer's verdict on its own native kernels, taken once before a worker takes jobs: a worker
 * whose check fails never consumes (docs/reliability.md, "Numerics").
 *
 * @param passed whether every kernel agreed with its reference
 * @param summary one line for logs and {@code /health}
 * @param details every line of the check, and the remedy when it failed
 */
public record NumericsCheck(boolean passed, String summary, String details) {

  /** For renderers that compute nothing natively (tests, stand-ins). */
  public static NumericsCheck notNeeded(String why) {
    return new NumericsCheck(true, "numerics self-check not needed: " + why, "");
  }
}
