package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base class for network parity tests: {@code assertFixturePasses("stage_c")} runs the fixture
 * through the registered adapter with the harness, writes outputs under {@code target/parity-out},
 * compares them with the fixture tolerance and fails listing every output error.
 */
public abstract class ParityTestSupport {

  /** Runs and compares a fixture of the dev set; returns the report (all outputs passed). */
  protected ParityReport assertFixturePasses(String name) throws Exception {
    return assertFixturePasses(name, null);
  }

  /** As {@link #assertFixturePasses(String)} with a {@code --weights} override. */
  protected ParityReport assertFixturePasses(String name, Path weights) throws Exception {
    Fixture fixture = Fixtures.load(name);
    Path out = Path.of("target", "parity-out", name + ".out.safetensors");
    Files.createDirectories(out.getParent());
    ParityReport report = ParityHarness.runAndCompare(fixture, weights, out);
    System.out.println(report.describe());
    assertTrue(report.passed(), report.describe());
    return report;
  }

  /**
   * Runs the fixture with a trace of its first call and compares every trace tensor present on both
   * sides; fails unless all are within {@code tolerance} (and at least one was compared).
   */
  protected ParityReport assertTracePasses(String name, double tolerance) throws Exception {
    Fixture fixture = Fixtures.load(name);
    Path dir = Path.of("target", "parity-out");
    Files.createDirectories(dir);
    ParityReport report =
        ParityHarness.runTraced(
            fixture,
            null,
            dir.resolve(name + ".out.safetensors"),
            dir.resolve(name + ".trace.safetensors"));
    System.out.println(report.describe());
    assertTrue(report.passed() && report.maxRelError() <= tolerance, report.describe());
    return report;
  }

  /**
   * Compares recorded trace tensors with {@code <name>.trace.safetensors}; returns one line per
   * compared key and fails if any exceeds {@code tolerance}.
   */
  protected List<String> assertTraceWithin(String name, Trace trace, double tolerance)
      throws Exception {
    Fixture fixture = Fixtures.load(name);
    List<String> lines = new ArrayList<>();
    boolean ok = true;
    try (SafetensorsReader ref = SafetensorsReader.open(fixture.file("trace"))) {
      for (Map.Entry<String, Trace.Tensor> e : trace.tensors().entrySet()) {
        if (!ref.contains(e.getKey())) {
          continue;
        }
        float[] expected = ref.readFloats(e.getKey());
        double err =
            expected.length == e.getValue().data().length
                ? ParityComparator.relError(expected, e.getValue().data())
                : Double.NaN;
        boolean pass = err <= tolerance;
        ok &= pass;
        lines.add(String.format("%-40s %s rel=%.3e", e.getKey(), pass ? "ok  " : "FAIL", err));
      }
    }
    lines.forEach(System.out::println);
    assertTrue(ok && !lines.isEmpty(), String.join("\n", lines));
    return lines;
  }
}
