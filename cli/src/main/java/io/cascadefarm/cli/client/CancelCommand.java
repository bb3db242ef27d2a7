package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code farm cancel}: cancels a job, or every unfinished job of a batch. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a job (JOB) or every unfinished job of a batch (--batch ID).")
public final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Target target;

  @Override
  public Integer call() {
    JsonNode r = api.client().postEmpty(target.path() + "/cancel");
    if (target.isBatch()) {
      spec.commandLine().getOut().println("cancelled " + r.path("cancelled").asInt());
    } else {
      spec.commandLine().getOut().println(JobText.job(r));
    }
    return 0;
  }
}
