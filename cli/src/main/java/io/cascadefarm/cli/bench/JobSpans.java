package io.cascadefarm.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.client.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Per-job spans from the job records of a batch: {@code started_at -> finished_at} (claim to
 * success, render included) and {@code created_at -> finished_at} (end to end, queueing included).
 */
record JobSpans(List<Long> claimToDoneMillis, List<Long> createToDoneMillis) {

  static JobSpans of(ApiClient api, String batch) {
    List<Long> claim = new ArrayList<>();
    List<Long> create = new ArrayList<>();
    String after = null;
    do {
      JsonNode page =
          api.get(
              "/v1/batches/"
                  + batch
                  + "/jobs?limit=100"
                  + (after == null ? "" : "&after=" + after));
      for (JsonNode j : page.path("jobs")) {
        Instant created = Instant.parse(j.path("created_at").asText());
        Instant started = Instant.parse(j.path("started_at").asText());
        Instant finished = Instant.parse(j.path("finished_at").asText());
        claim.add(Duration.between(started, finished).toMillis());
        create.add(Duration.between(created, finished).toMillis());
      }
      after = page.path("next").isTextual() ? page.path("next").asText() : null;
    } while (after != null);
    Collections.sort(claim);
    Collections.sort(create);
    return new JobSpans(claim, create);
  }

  String claimToDone() {
    return percentiles(claimToDoneMillis);
  }

  String createToDone() {
    return percentiles(createToDoneMillis);
  }

  private static String percentiles(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return "n/a";
    }
    long p50 = sorted.get((sorted.size() - 1) / 2);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    return String.format(Locale.ROOT, "%d / %d ms", p50, p99);
  }
}
