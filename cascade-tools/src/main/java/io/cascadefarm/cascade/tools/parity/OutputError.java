package io.cascadefarm.cascade.tools.parity;

/**
 * Comparison of one output.
 *
 * @param key output key
 * @param relError max|port-ref| / max|ref| (integers: fraction of differing elements); NaN if
 *     absent
 * @param tolerance acceptance bound
 * @param note empty, or why it failed (missing, shape mismatch)
 */
public record OutputError(String key, double relError, double tolerance, String note) {

  public boolean passed() {
    return note.isEmpty() && relError <= tolerance;
  }

  @Override
  public String toString() {
    return String.format(
        "%-28s %s  rel=%.3e  tol=%.0e%s",
        key, passed() ? "PASS" : "FAIL", relError, tolerance, note.isEmpty() ? "" : "  " + note);
  }
}
