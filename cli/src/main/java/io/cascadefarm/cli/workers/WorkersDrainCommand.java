package io.cascadefarm.cli.workers;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm workers drain ID [--reason R]}: holds a worker out of service. */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description =
        "Quarantines a worker by hand: it finishes its current jobs, then claims no more until"
            + " released.")
public final class WorkersDrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "ID", description = "Worker id (farm workers list)")
  String id;

  @Option(names = "--reason", description = "Why, shown in the registry and on the dashboard")
  String reason;

  @Override
  public Integer call() {
    String path = "/v1/workers/" + WorkerText.encode(id) + "/drain";
    if (reason != null && !reason.isBlank()) {
      path += "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8);
    }
    JsonNode w = api.client().postEmpty(path);
    spec.commandLine().getOut().println(WorkerText.header());
    spec.commandLine().getOut().println(WorkerText.line(w));
    return 0;
  }
}
