package io.cascadefarm.cascade.tools.parity;

import java.util.List;
import java.util.stream.Collectors;

/** Result of comparing a run against a fixture: one {@link OutputError} per expected output. */
public record ParityReport(String fixture, List<OutputError> outputs) {

  public boolean passed() {
    return !outputs.isEmpty() && outputs.stream().allMatch(OutputError::passed);
  }

  public double maxRelError() {
    return outputs.stream().mapToDouble(OutputError::relError).max().orElse(Double.NaN);
  }

  /** Multi-line human-readable table. */
  public String describe() {
    return "fixture "
        + fixture
        + ": "
        + (passed() ? "PASS" : "FAIL")
        + "\n"
        + outputs.stream().map(o -> "  " + o).collect(Collectors.joining("\n"));
  }
}
