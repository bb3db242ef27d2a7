package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm retry}: re-queues a failed job, or the failed jobs of a batch. */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = "Re-queues a failed job (JOB) or the failed jobs of a batch (--batch ID).")
public final class RetryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Target target;

  @Option(names = "--include-cancelled", description = "Also re-queue cancelled jobs")
  boolean includeCancelled;

  @Override
  public Integer call() {
    String path = target.path() + "/retry" + (includeCancelled ? "?include_cancelled=true" : "");
    JsonNode r = api.client().postEmpty(path);
    spec.commandLine().getOut().println("requeued " + r.path("requeued").asInt());
    return 0;
  }
}
