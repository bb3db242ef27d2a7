package io.cascadefarm.cli.net;

import io.cascadefarm.cascade.tools.bench.BenchCase;
import io.cascadefarm.cascade.tools.bench.BenchResult;
import io.cascadefarm.cascade.tools.bench.BenchTable;
import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.cascade.tools.bench.EngineFacts;
import io.cascadefarm.cascade.tools.bench.NetBench;
import io.cascadefarm.cascade.tools.bench.OfficialComparison;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farm bench net}: Stage C and Stage B forwards at several sizes with random weights
 * generated in memory; prints a Markdown table (ms per forward, ATen ops, allocation, live tensors,
 * peak RSS, memory held between forwards). {@code --malloc-compare} re-runs the sizes in child
 * processes with and without the glibc malloc thresholds (see docs/performance.md).
 */
@Command(
    name = "net",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks Stage C/B forwards (random weights) and prints a table. Not a test.",
      "Sizes: c-tiny, c-mid, c-lite (Stage C lite 2x16x24x24 = 1024^2), b-tiny, b-mid,",
      "b-lite (Stage B lite 1x4x256x256 = 1024^2), a-mid (Stage A decode to 256^2), a-full",
      "(Stage A decode to 1024^2). Lite sizes need ~6 GB of free RAM."
    })
public final class NetBenchCommand implements Callable<Integer> {
  @Option(
      names = "--sizes",
      split = ",",
      description = "Comma-separated cases (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = Sizes.class)
  List<String> sizes;

  @Option(names = "--repeat", defaultValue = "3", description = "Timed forwards per case")
  int repeat;

  @Option(
      names = {"--env-compare", "--malloc-compare"},
      description =
          "Also time each case in child JVMs: default vs glibc malloc thresholds vs OMP_WAIT_POLICY=PASSIVE")
  boolean mallocCompare;

  @Option(
      names = "--isa-compare",
      description =
          "Also time each case in child JVMs: oneDNN uncapped (libtorch default) vs the farm's"
              + " SSE4.1 cap")
  boolean isaCompare;

  @Option(
      names = "--official",
      paramLabel = "DIR",
      description =
          "Instead of the table: time each case side by side with the official Stable Cascade"
              + " code under DIR (StableCascade/ with modules, gdf, core; pytorch-tools/), in a"
              + " Python child, interleaved, same thread count; prints port/official ratios")
  java.nio.file.Path official;

  @Option(
      names = "--official-python",
      defaultValue = "/usr/bin/python3",
      description = "Python with torch for --official (default: ${DEFAULT-VALUE})")
  java.nio.file.Path officialPython;

  @Option(
      names = "--official-script",
      description =
          "The generator script (default: "
              + OfficialComparison.SCRIPT
              + ", searched upwards from the working directory)")
  java.nio.file.Path officialScript;

  @Option(
      names = "--op-times",
      description =
          "Instead of the table: profile one forward per case (after a warm-up) and print the"
              + " top-level ATen ops by total time")
  boolean opTimes;

  @Option(
      names = "--blocks-compare",
      description =
          "Instead of the table: per case, alternate forwards with the UNet blocks run op-by-op"
              + " (FARM_BLOCKS=ops) and as one TorchScript call each (script), same weights;"
              + " print wall/CPU ratios script/ops and native calls per forward")
  boolean blocksCompare;

  @Option(names = "--child", hidden = true, description = "Internal: print one RESULT line")
  boolean child;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    List<String> names = sizes == null || sizes.isEmpty() ? BenchCase.defaults() : sizes;
    List<BenchCase> cases = new ArrayList<>();
    for (String n : names) {
      cases.add(BenchCase.named(n.trim()));
    }
    if (child) {
      for (BenchCase c : cases) {
        NetBench.Timing t = ComputeThread.call("bench-" + c.name(), () -> NetBench.time(c, repeat));
        out.printf(
            "RESULT %s %.3f %.3f %d %.1f%n",
            c.name(),
            t.median(),
            t.min(),
            Math.round(t.faultsPerForward()),
            t.cpuMillisPerForward());
      }
      return 0;
    }
    out.println(Environment.describe());
    if (official != null) {
      java.nio.file.Path script =
          officialScript != null ? officialScript : OfficialComparison.findScript();
      if (script == null) {
        throw new IllegalArgumentException(
            OfficialComparison.SCRIPT
                + " not found from the working directory; use --official-script");
      }
      OfficialComparison.runAll(officialPython, script, official, cases, repeat, out);
      out.println("load average after: " + Environment.loadAverage());
      return 0;
    }
    if (blocksCompare) {
      out.println(
          "| case | ops wall ms | script wall ms | wall ratio script/ops | ops CPU ms | script CPU"
              + " ms | CPU ratio | cores busy ops / script | native calls ops / script | block"
              + " calls |");
      out.println("|---|---|---|---|---|---|---|---|---|---|");
      for (BenchCase c : cases) {
        NetBench.BlocksComparison r =
            ComputeThread.call("bench-" + c.name(), () -> NetBench.compareBlocks(c, repeat));
        double opsMean = Arrays.stream(r.ops().wallMillis()).average().orElse(0);
        double scriptMean = Arrays.stream(r.script().wallMillis()).average().orElse(0);
        out.printf(
            "| %s | %.1f | %.1f | **%.2f** | %.0f | %.0f | **%.2f** | %.2f / %.2f | %d / %d | %d"
                + " |%n",
            c.name(),
            r.ops().median(),
            r.script().median(),
            r.script().median() / r.ops().median(),
            r.ops().cpuMillisPerForward(),
            r.script().cpuMillisPerForward(),
            r.script().cpuMillisPerForward() / r.ops().cpuMillisPerForward(),
            r.ops().cpuMillisPerForward() / opsMean,
            r.script().cpuMillisPerForward() / scriptMean,
            r.opsTopLevel(),
            r.scriptTopLevel(),
            r.scriptBlockCalls());
      }
      out.println("load average after: " + Environment.loadAverage());
      return 0;
    }
    if (opTimes) {
      for (BenchCase c : cases) {
        List<io.cascadefarm.cascade.tools.bench.OpProfile.OpTime> times =
            ComputeThread.call("bench-" + c.name(), () -> NetBench.opTimes(c));
        double total = times.stream().mapToDouble(t -> t.micros()).sum();
        out.printf("%s (%s): %.1f ms in top-level ops%n", c.name(), c.describe(), total / 1000);
        out.println("| op | calls | ms | share |");
        out.println("|---|---|---|---|");
        times.stream()
            .limit(20)
            .forEach(
                t ->
                    out.printf(
                        "| %s | %d | %.1f | %.1f %% |%n",
                        t.name(), t.calls(), t.micros() / 1000, 100 * t.micros() / total));
      }
      return 0;
    }
    EngineFacts.collect().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
    List<BenchResult> results = new ArrayList<>();
    for (BenchCase c : cases) {
      System.err.printf("bench %s (%s) ...%n", c.name(), c.describe());
      BenchResult r = ComputeThread.call("bench-" + c.name(), () -> NetBench.run(c, repeat));
      results.add(r);
      out.println(BenchTable.row(r));
      System.gc();
    }
    out.println();
    BenchTable.print(out, results);
    out.println("load average after: " + Environment.loadAverage());
    if (mallocCompare) {
      EnvComparison.run(EnvComparison.RUNTIME, names, repeat, out);
    }
    if (isaCompare) {
      EnvComparison.run(EnvComparison.ONEDNN_ISA, names, repeat, out);
    }
    return 0;
  }

  /** Completion candidates for --sizes. */
  static final class Sizes extends ArrayList<String> {
    Sizes() {
      super(BenchCase.NAMES);
    }
  }
}
