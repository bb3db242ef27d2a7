package io.cascadefarm.cli.workers;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm workers release ID}: ends a drain or an automatic quarantine. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Puts a drained or quarantined worker back into service (its failures forgotten).")
public final class WorkersReleaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "ID", description = "Worker id (farm workers list)")
  String id;

  @Override
  public Integer call() {
    JsonNode w = api.client().postEmpty("/v1/workers/" + WorkerText.encode(id) + "/release");
    spec.commandLine().getOut().println(WorkerText.header());
    spec.commandLine().getOut().println(WorkerText.line(w));
    return 0;
  }
}
