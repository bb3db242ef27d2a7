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

  @Option(
      names = "--farm",
      description = "List what the farm's workers reported instead (GET /v1/models)")
  boolean farm;

  @picocli.CommandLine.Mixin io.cascadefarm.cli.client.ApiOptions api;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (farm) {
      return listFarm();
    }
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

  private int listFarm() {
    PrintWriter w = spec.commandLine().getOut();
    com.fasterxml.jackson.databind.JsonNode models = api.client().get("/v1/models").path("models");
    if (models.isEmpty()) {
      w.println("no worker reported in the last 5 minutes");
    }
    for (com.fasterxml.jackson.databind.JsonNode m : models) {
      w.printf(
          "%-5s %s, loaded on %d worker(s)%n",
          m.path("model").asText(),
          m.path("renderable").asBoolean() ? "renderable" : "no weights on any worker",
          m.path("workers_loaded").asInt());
      for (com.fasterxml.jackson.databind.JsonNode x : m.path("workers")) {
        w.printf(
            "    %-30s %-10s weights %-8s %s%n",
            x.path("worker").asText(),
            x.path("loaded").asBoolean() ? "loaded" : "not loaded",
            x.path("weights_present").asBoolean() ? "present" : "missing",
            x.path("precision").asText(""));
      }
    }
    w.flush();
    return 0;
  }
}
