package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farm jobs list}: the tenant's jobs, newest first, filtered (GET /v1/jobs). */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "Lists jobs: farm jobs list [--status S] [--batch ID] [--label k:v] [--limit N]",
    subcommands = {JobsCommand.ListCommand.class})
public final class JobsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Jobs, newest first")
  public static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--status", description = "queued, running, succeeded, failed, cancelled")
    String status;

    @Option(names = "--batch", description = "Only the jobs of this batch")
    String batch;

    @Option(names = "--label", paramLabel = "KEY:VALUE", description = "Repeatable; all match")
    List<String> labels = new ArrayList<>();

    @Option(names = "--created-after", description = "ISO-8601 time, inclusive")
    String createdAfter;

    @Option(names = "--created-before", description = "ISO-8601 time, exclusive")
    String createdBefore;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "Most jobs to list (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      ApiClient client = api.client();
      PrintWriter out = spec.commandLine().getOut();
      StringBuilder q = new StringBuilder();
      add(q, "status", status);
      add(q, "batch", batch);
      labels.forEach(l -> add(q, "label", l));
      add(q, "created_after", createdAfter);
      add(q, "created_before", createdBefore);
      int left = limit;
      String after = null;
      do {
        StringBuilder page = new StringBuilder(q);
        add(page, "limit", Integer.toString(Math.min(1000, left)));
        add(page, "after", after);
        JsonNode n = client.get("/v1/jobs?" + page.substring(1));
        for (JsonNode j : n.path("jobs")) {
          out.printf(
              "%s  %-9s  %s  %s%n",
              j.path("id").asText(),
              j.path("status").asText(),
              j.path("created_at").asText(),
              j.path("params").path("prompt").asText(""));
          left--;
        }
        after = n.hasNonNull("next") ? n.path("next").asText() : null;
      } while (after != null && left > 0);
      return 0;
    }

    private static void add(StringBuilder q, String name, String value) {
      if (value != null) {
        q.append('&')
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
  }
}
