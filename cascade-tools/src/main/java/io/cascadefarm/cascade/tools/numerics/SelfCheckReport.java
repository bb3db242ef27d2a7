package io.cascadefarm.cascade.tools.numerics;

import java.util.List;

/**
 * The outcome of {@link NumericsSelfCheck}: one line per op family and per network, the failures
 * (empty when it passed) and what an operator should do about them.
 */
public record SelfCheckReport(
    String device, String kernelSetting, List<String> lines, List<String> failures, long millis) {

  /** The remedy printed with every failure. */
  public static final String REMEDY =
      "remedy: this host's native kernels compute wrong numbers, so it must not render. Keep the"
          + " farm's oneDNN cap (leave ONEDNN_MAX_CPU_ISA unset, or set ONEDNN_MAX_CPU_ISA=SSE41);"
          + " if the check still fails with it, move the worker to another host and report the"
          + " failing lines (docs/reliability.md, \"Numerics\").";

  public SelfCheckReport {
    lines = List.copyOf(lines);
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** One line: {@code PASS} or {@code FAIL} with the first failure. */
  public String summary() {
    String head =
        String.format(
            "numerics self-check %s on %s (%s) in %.1f s",
            passed() ? "PASS" : "FAIL", device, kernelSetting, millis / 1000.0);
    return passed() ? head : head + ": " + failures.get(0);
  }

  /** Every line, the summary, and the remedy when it failed. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l).append('\n'));
    b.append(summary());
    if (!passed()) {
      b.append('\n').append(REMEDY);
    }
    return b.toString();
  }
}
