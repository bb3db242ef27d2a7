package io.cascadefarm.cli.net;

import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureOutputs;
import io.cascadefarm.cascade.tools.parity.ParityHarness;
import io.cascadefarm.cascade.tools.parity.ParityReport;
import io.cascadefarm.cascade.tools.parity.Tolerances;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm net run}: runs every call (or the sampler run) of a fixture in the shared/parity
 * format, writes each output under the key the fixture names and, when the fixture's io file is
 * present, prints max|port-ref|/max|ref| per output against the fixture tolerance (its {@code
 * tolerance} field, else the NOTES value for its name). Run with {@code
 * -Dfarm.parity.precision=fp16|bf16}, the verdict is the largest relative error over every output
 * against {@link Tolerances#forPrecision}. Exit code 0 = written (and PASS when compared), 1 = a
 * comparison failed.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a parity fixture (FILE.json) through the port and writes its outputs.",
      "Compares with the fixture's io file when present: PASS/FAIL per output."
    })
public final class NetRunCommand implements Callable<Integer> {
  @Option(names = "--fixture", required = true, description = "Fixture description FILE.json")
  Path fixture;

  @Option(
      names = "--weights",
      description = "Weights file overriding the fixture's (or its hash-initialised) weights")
  Path weights;

  @Option(names = "--out", required = true, description = "Output OUT.safetensors")
  Path out;

  @Option(
      names = "--trace",
      description =
          "Also write the per-module trace of the first call to this file and compare it with"
              + " the fixture's trace (10x the output tolerance)")
  Path trace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (weights != null && !Files.isRegularFile(weights)) {
      throw new IllegalArgumentException("--weights: file not found: " + weights);
    }
    return ComputeThread.call("farm-net-run", this::runFixture);
  }

  private Integer runFixture() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    Fixture f = Fixture.load(fixture);
    long start = System.nanoTime();
    createParent(out);
    ParityReport traceReport = null;
    if (trace != null) {
      createParent(trace);
      traceReport = ParityHarness.runTraced(f, weights, out, trace);
    } else {
      FixtureOutputs outputs = ParityHarness.run(f, weights);
      outputs.write(out);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    w.printf("fixture %s: wrote %s (%d ms)%n", f.name(), out, ms);
    Path io = f.file("io");
    if (io == null || !Files.isRegularFile(io)) {
      w.println("no reference io file; outputs written without comparison");
      w.flush();
      return 0;
    }
    ParityReport report = ParityHarness.compare(f, out);
    String precision = Tolerances.runPrecision();
    boolean ok;
    if (precision.equals("fp32")) {
      w.printf("tolerance %.0e (max|port-ref|/max|ref| per output)%n", Tolerances.forFixture(f));
      w.println(report.describe());
      ok = report.passed();
    } else {
      double tol = Tolerances.forPrecision(f, precision);
      ok =
          !report.outputs().isEmpty()
              && report.outputs().stream().allMatch(o -> o.note().isEmpty())
              && report.maxRelError() <= tol;
      report
          .outputs()
          .forEach(o -> w.printf("  %s rel error %.3e %s%n", o.key(), o.relError(), o.note()));
      w.printf(
          "fixture %s %s: max rel error %.3e over every output, tolerance %.0e: %s%n",
          f.name(), precision, report.maxRelError(), tol, ok ? "PASS" : "FAIL");
    }
    if (traceReport != null) {
      if (traceReport.outputs().isEmpty()) {
        w.println("trace: written to " + trace + " (no reference trace to compare)");
      } else {
        w.println(traceReport.describe());
        ok &= traceReport.passed();
      }
    }
    w.flush();
    return ok ? 0 : 1;
  }

  private static void createParent(Path file) throws java.io.IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
