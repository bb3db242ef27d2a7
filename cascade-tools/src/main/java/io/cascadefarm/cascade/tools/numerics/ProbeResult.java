package io.cascadefarm.cascade.tools.numerics;

/**
 * One probe's verdict: {@code relError} = max|native - reference| / max|reference| (NaN when the
 * native op threw or returned a wrong shape, explained in {@code error}).
 */
public record ProbeResult(
    OpFamily family, String probe, double relError, double tolerance, String error) {

  public boolean passed() {
    return error == null && relError <= tolerance;
  }

  /** e.g. {@code conv2d 2x24x5x7->24 k3 s1 p1 g1: rel 3.8e-01 > 1e-04}. */
  public String describe() {
    if (error != null) {
      return family.label() + " " + probe + ": " + error;
    }
    return String.format(
        "%s %s: rel %.1e %s %.0e",
        family.label(), probe, relError, passed() ? "<=" : ">", tolerance);
  }
}
