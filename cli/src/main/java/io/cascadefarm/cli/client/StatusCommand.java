package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm status}: a job's status, progress, error and image URLs, or a batch's counts. With
 * {@code --watch} a job's Server-Sent Events are followed (progress per step), and a batch is
 * polled with a progress bar, until everything reached a final state.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a job (JOB) or a batch (--batch ID).",
      "--watch follows until done; exit code 0 when every job succeeded, 1 otherwise."
    })
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin Target target;

  @Option(names = "--watch", description = "Follow progress until every job is final")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "1000",
      description = "Batch poll interval in ms with --watch (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Override
  public Integer call() throws Exception {
    target.validate();
    ApiClient client = api.client();
    PrintWriter out = spec.commandLine().getOut();
    if (!watch) {
      JsonNode n = client.get(target.path());
      out.println(
          target.isBatch() ? "batch " + target.batch + " " + JobText.batch(n) : JobText.job(n));
      return 0;
    }
    return target.isBatch() ? watchBatch(client, out) : watchJob(client, out);
  }

  private int watchBatch(ApiClient client, PrintWriter out) throws InterruptedException {
    boolean tty = System.console() != null;
    String last = "";
    while (true) {
      JsonNode b = client.get(target.path());
      String line = JobText.batch(b);
      if (!line.equals(last)) {
        out.print(tty ? "\r" + line : line + "\n");
        out.flush();
        last = line;
      }
      if (b.path("done").asBoolean()) {
        if (tty) {
          out.println();
        }
        int ok = b.path("counts").path("succeeded").asInt();
        return ok == b.path("job_count").asInt() ? 0 : 1;
      }
      Thread.sleep(intervalMillis);
    }
  }

  private int watchJob(ApiClient client, PrintWriter out) {
    String[] status = {""};
    try (InputStream in = client.stream("/v1/events?job=" + target.job)) {
      SseEvents.read(
          in,
          e -> {
            JsonNode n = Json.mapper().readTree(e.data());
            status[0] = n.path("status").asText(status[0]);
            if (n.path("progress").isObject() && !JobText.TERMINAL.contains(status[0])) {
              out.println(status[0] + "  " + JobText.progress(n.path("progress")));
            } else if (!e.type().equals("progress")) {
              out.println(status[0]);
            }
            return !JobText.TERMINAL.contains(status[0]);
          });
    } catch (IOException e) {
      throw new UncheckedIOException("the event stream broke: " + e.getMessage(), e);
    }
    JsonNode j = client.get(target.path());
    out.println(JobText.job(j));
    return "succeeded".equals(j.path("status").asText()) ? 0 : 1;
  }
}
