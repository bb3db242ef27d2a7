package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    description = "Lists batches: farm batches list [--before T] [--limit N]",
    subcommands = {BatchesCommand.ListCommand.class})
public final class BatchesCommand {

  /** The route's largest page ({@code BatchListing.MAX_LIMIT}); longer listings page on. */
  static final int PAGE = 200;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Batches, newest first: id, done or not, job count, counts per status, created")
  public static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(
        names = "--before",
        description = "ISO-8601 instant: only batches created before it (a page's next)")
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
        if (cursor != null) {
          q.append("&before=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        JsonNode n = client.get(q.toString());
        for (JsonNode b : n.path("batches")) {
          out.printf(
              "%s  %-7s  %6d jobs  %s  %s%n",
              b.path("id").asText(),
              b.path("done").asBoolean() ? "done" : "open",
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
