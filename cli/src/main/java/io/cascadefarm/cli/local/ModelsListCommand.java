package io.cascadefarm.cli.local;

import io.cascadefarm.cli.hub.ModelInventory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm models list}: which variants are complete, with file sizes. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists what is present per variant (lite/big, bf16/fp32) with sizes.")
public final class ModelsListCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      description = "Model directory (default: $FARM_MODELS_DIR or ./models)")
  Path modelsDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = ModelsDir.resolve(modelsDir);
    PrintWriter w = spec.commandLine().getOut();
    w.println("models in " + dir.toAbsolutePath() + " (tiny: random weights, always available)");
    for (ModelInventory.Entry e : ModelInventory.scan(dir)) {
      w.printf(
          "%-5s %-4s  %s, %.2f GiB present%n",
          e.variant(),
          e.dtype(),
          e.complete() ? "complete" : "missing " + e.missing().size() + " of " + e.files().size(),
          e.bytes() / 1073741824.0);
      for (ModelInventory.FileStatus f : e.files()) {
        String state =
            f.present()
                ? String.format("%10.1f MiB", f.size() / 1048576.0)
                : f.partial() > 0
                    ? String.format("partial %.1f MiB (pull resumes)", f.partial() / 1048576.0)
                    : "missing";
        w.printf("    %-52s %s%n", f.ref().repoName() + "/" + f.ref().path(), state);
      }
    }
    w.flush();
    return 0;
  }
}
