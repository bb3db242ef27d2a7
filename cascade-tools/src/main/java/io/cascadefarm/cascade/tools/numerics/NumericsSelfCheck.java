package io.cascadefarm.cascade.tools.numerics;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.OneDnnIsa;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up numerics self-check: every probe of {@link ProbeSets#selfCheck()} against its
 * float64 reference, then one tiny forward of each network type against outputs stored from the
 * official code ({@link NetworkForwards}). Runs in a few seconds; workers and {@code farm generate}
 * run it before their first job, {@code farm net selfcheck} on demand.
 */
public final class NumericsSelfCheck {
  /**
   * Largest max|native - reference| / max|reference| accepted for an op probe in fp32. Correct
   * kernels stay below 1e-5 on every probed shape (reduction lengths up to 1,280); the miscomputing
   * oneDNN kernels were off by 10 % to 3,000 %.
   */
  public static final double OP_TOLERANCE = 1e-4;

  private final Kernels kernels;
  private final List<OpProbe> probes;
  private final boolean networks;

  private NumericsSelfCheck(Kernels kernels, List<OpProbe> probes, boolean networks) {
    this.kernels = kernels;
    this.probes = List.copyOf(probes);
    this.networks = networks;
  }

  /** The standard check: the fixed probes and the network forwards, with the port's kernels. */
  public static NumericsSelfCheck standard() {
    return new NumericsSelfCheck(Kernels.port(), ProbeSets.selfCheck(), true);
  }

  /** Probes only (no network forwards) with the given kernels. */
  public static NumericsSelfCheck probes(Kernels kernels, List<OpProbe> probes) {
    return new NumericsSelfCheck(kernels, probes, false);
  }

  /** The same check with other kernels (tests inject a miscomputing one). */
  public NumericsSelfCheck withKernels(Kernels other) {
    return new NumericsSelfCheck(other, probes, networks);
  }

  /** Runs on the device the pipelines compute on (the PyTorch engine's default device). */
  public SelfCheckReport runOnDefaultDevice() {
    OneDnnIsa.configure();
    return run(Engine.getEngine("PyTorch").defaultDevice());
  }

  /** Runs on {@code device}; never throws for a wrong number, only reports it. */
  public SelfCheckReport run(Device device) {
    long start = System.nanoTime();
    String setting = OneDnnIsa.configure().describe();
    List<String> lines = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Map<OpFamily, List<ProbeResult>> byFamily = new EnumMap<>(OpFamily.class);
    try (NDManager m = NDManager.newBaseManager(device)) {
      for (OpProbe p : probes) {
        byFamily
            .computeIfAbsent(p.family(), f -> new ArrayList<>())
            .add(p.run(kernels, m, OP_TOLERANCE));
      }
    }
    byFamily.forEach(
        (family, results) -> {
          lines.add(familyLine(family, results));
          results.stream().filter(r -> !r.passed()).forEach(r -> failures.add(r.describe()));
        });
    if (networks) {
      for (NetworkForwards.Result r : NetworkForwards.runAll()) {
        lines.add(r.line());
        if (!r.passed()) {
          failures.add(r.line().trim());
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new SelfCheckReport(device.toString(), setting, lines, failures, millis);
  }

  static String familyLine(OpFamily family, List<ProbeResult> results) {
    long failed = results.stream().filter(r -> !r.passed()).count();
    ProbeResult worst =
        results.stream()
            .max(
                (a, b) ->
                    Double.compare(
                        Double.isNaN(a.relError()) ? Double.MAX_VALUE : a.relError(),
                        Double.isNaN(b.relError()) ? Double.MAX_VALUE : b.relError()))
            .orElseThrow();
    String verdict = failed == 0 ? "ok  " : "FAIL";
    String detail =
        failed == 0
            ? String.format("worst rel %.1e (%s)", worst.relError(), worst.probe())
            : failed + " of " + results.size() + " wrong, worst: " + worst.describe();
    return String.format(
        "  %-16s %s %3d probes, %s", family.label(), verdict, results.size(), detail);
  }
}
