package io.cascadefarm.cli.net;

import ai.djl.Device;
import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.cascade.tools.numerics.Kernels;
import io.cascadefarm.cascade.tools.numerics.NumericsSelfCheck;
import io.cascadefarm.cascade.tools.numerics.ProbeSets;
import io.cascadefarm.cascade.tools.numerics.SelfCheckReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm net selfcheck}: the numerics self-check workers and {@code farm generate} run at
 * start, on demand. Exit code 0 = every op family and network agrees with its reference, 1 = a
 * native kernel computes wrong numbers on this host (the remedy is printed).
 */
@Command(
    name = "selfcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that this host's native kernels compute correct numbers: fixed probes per op family",
      "against float64 references, and one tiny forward per network against official outputs.",
      "Exit code 0 = correct, 1 = wrong numbers (do not render on this host; remedy printed)."
    })
public final class NetSelfCheckCommand implements Callable<Integer> {
  @Option(
      names = "--sweep",
      defaultValue = "0",
      description = "Also run N random probes per op family (seeded; a few seconds per 10)")
  int sweep;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the --sweep shapes")
  long seed;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "Device to check, e.g. cpu or gpu(0) (DJL device names)")
  String device;

  @Spec CommandSpec spec;

  private final Kernels kernels;

  public NetSelfCheckCommand() {
    this(Kernels.port());
  }

  /** With other kernels: tests check the verdict and exit code with a miscomputing one. */
  NetSelfCheckCommand(Kernels kernels) {
    this.kernels = kernels;
  }

  @Override
  public Integer call() throws Exception {
    if (sweep < 0) {
      throw new IllegalArgumentException("--sweep must be >= 0, was " + sweep);
    }
    Device d = Device.fromName(device);
    PrintWriter w = spec.commandLine().getOut();
    w.println("numerics self-check on " + d + " ...");
    w.flush();
    SelfCheckReport report =
        ComputeThread.call(
            "farm-net-selfcheck", () -> NumericsSelfCheck.standard().withKernels(kernels).run(d));
    boolean ok = report.passed();
    if (sweep > 0) {
      w.printf("sweep: %d random probes per op family, seed %d ...%n", sweep, seed);
      w.flush();
      SelfCheckReport s =
          ComputeThread.call(
              "farm-net-sweep",
              () -> NumericsSelfCheck.probes(kernels, ProbeSets.sweep(seed, sweep)).run(d));
      s.lines().forEach(l -> w.println("  sweep" + l));
      s.failures().forEach(f -> w.println("  sweep FAIL " + f));
      ok &= s.passed();
    }
    w.println(report.describe());
    if (report.passed() && !ok) {
      w.println("the sweep found wrong numbers: " + SelfCheckReport.REMEDY);
    }
    w.flush();
    return ok ? 0 : 1;
  }
}
