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

/** {@code farm batches list}: the tenant's batches, newest first (GET /v1/batches). */
@Command(
    name = "batches",
    mixinStandardHelpOptions = true,
    description =
        "Lists batches: farm batches list [--status S] [--label k:v] [--before T] [--limit N]",
    subcommands = {BatchesCommand.ListCommand.class})
public final class BatchesCommand {

  /** The page size asked of the route (its largest is 1,000); longer listings page on. */
  static final int PAGE = 200;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Batches, newest first: id, status, job count, counts per status, created")
  public static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(
        names = "--status",
        description = "Only batches in this state: queued, running, succeeded, failed, cancelled")
    String status;

    @Option(names = "--label", paramLabel = "KEY:VALUE", description = "Repeatable; all match")
    List<String> labels = new ArrayList<>();

    @Option(
        names = "--before",
        description =
            "A page's next cursor, or an ISO-8601 instant: only batches created strictly before it")
    String before;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "Most batches to list (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--limit must be at least 1, got " + limit);
      }
      ApiClient client = api.client();
      PrintWriter out = spec.commandLine().getOut();
      int left = limit;
      String cursor = before;
      do {
        StringBuilder q = new StringBuilder("/v1/batches?limit=").append(Math.min(PAGE, left));
        if (status != null) {
          q.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
        }
        for (String l : labels) {
          q.append("&label=").append(URLEncoder.encode(l, StandardCharsets.UTF_8));
        }
        if (cursor != null) {
          q.append("&before=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        JsonNode n = client.get(q.toString());
        for (JsonNode b : n.path("batches")) {
          out.printf(
              "%s  %-9s  %6d jobs  %s  %s%n",
              b.path("id").asText(),
              b.path("status").asText(b.path("done").asBoolean() ? "done" : "open"),
              b.path("job_count").asInt(),
              counts(b.path("counts")),
              b.path("created_at").asText());
          left--;
        }
        cursor = n.hasNonNull("next") ? n.path("next").asText() : null;
      } while (cursor != null && left > 0);
      return 0;
    }

    /** The non-zero counts, e.g. {@code succeeded=4 failed=1}. */
    private static String counts(JsonNode counts) {
      StringBuilder s = new StringBuilder();
      counts
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().asInt() > 0) {
                  s.append(s.length() == 0 ? "" : " ")
                      .append(e.getKey())
                      .append('=')
                      .append(e.getValue().asInt());
                }
              });
      return s.length() == 0 ? "-" : s.toString();
    }
  }
}
