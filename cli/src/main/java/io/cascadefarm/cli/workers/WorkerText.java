package io.cascadefarm.cli.workers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One registry row of {@code GET /v1/workers} as a line of text. */
final class WorkerText {
  private static final String FORMAT = "%-28s %-12s %-14s %-12s %-7s %-9s %s";

  private WorkerText() {}

  static String header() {
    return String.format(
        FORMAT, "ID", "STATE", "DEVICES", "MODELS", "JOBS", "OK/FAILED", "HEARTBEAT / REASON");
  }

  static String line(JsonNode w) {
    String reason = w.path("state_reason").asText("");
    JsonNode hold = w.path("hold");
    if (hold.isObject()) {
      reason += (reason.isEmpty() ? "" : "; ") + "hold: " + hold.path("kind").asText();
      if (!hold.path("reason").asText("").isEmpty()) {
        reason += " (" + hold.path("reason").asText() + ")";
      }
    }
    return String.format(
        FORMAT,
        w.path("id").asText(),
        w.path("state").asText(),
        join(w.path("devices")),
        join(w.path("models")),
        w.path("current_jobs").size(),
        w.path("succeeded").asLong() + "/" + w.path("failed").asLong(),
        String.format("%.0fs ago", w.path("seconds_since_heartbeat").asDouble())
            + (reason.isEmpty() ? "" : "  " + reason));
  }

  static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String join(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out.isEmpty() ? "-" : String.join(",", out);
  }
}
