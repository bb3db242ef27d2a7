package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code farm cancel}: cancels a job, or every unfinished job of a batch. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a job (JOB) or every unfinished job of a batch (--batch ID).")
public final class CancelCommand implements Callable<Integer> {
  @Mixin ApiOptions api;
  @Mixin Target target;

  @Override
  public Integer call() {
    JsonNode r = api.client().postEmpty(target.path() + "/cancel");
    if (target.isBatch()) {
      System.out.println("cancelled " + r.path("cancelled").asInt());
    } else {
      System.out.println(JobText.job(r));
    }
    return 0;
  }
}
