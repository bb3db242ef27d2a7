package io.cascadefarm.cli.net;

import io.cascadefarm.cascade.bench.EngineFacts;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code farm net engine-info}: loads the DJL PyTorch engine (downloading/extracting libtorch into
 * DJL_CACHE_DIR if needed, which is why the worker image runs it at build time) and prints its
 * version, flavor, devices, thread counts and TF32 state.
 */
@Command(
    name = "engine-info",
    mixinStandardHelpOptions = true,
    description = {
      "Loads the DJL PyTorch engine and prints libtorch version, flavor, devices, threads, TF32.",
      "TF32 for cuBLAS matmuls is enabled by starting the process with "
          + "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1."
    })
public final class EngineInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    for (Map.Entry<String, String> e : EngineFacts.collect().entrySet()) {
      w.printf("%-22s %s%n", e.getKey() + ":", e.getValue());
    }
    w.flush();
    return 0;
  }
}
