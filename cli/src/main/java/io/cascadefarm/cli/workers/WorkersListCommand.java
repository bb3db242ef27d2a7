package io.cascadefarm.cli.workers;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiOptions;
import io.cascadefarm.common.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm workers list [--json]}: one line per registered worker. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists the registered workers: state, devices, models, current jobs, counts.")
public final class WorkersListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(names = "--json", description = "Print GET /v1/workers as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    JsonNode r = api.client().get("/v1/workers");
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
    } else {
      out.println(WorkerText.header());
      r.path("workers").forEach(w -> out.println(WorkerText.line(w)));
      if (r.path("workers").isEmpty()) {
        out.println("(no worker has registered)");
      }
    }
    out.flush();
    return 0;
  }
}
