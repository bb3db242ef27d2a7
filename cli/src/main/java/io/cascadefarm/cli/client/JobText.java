package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Human-readable lines for jobs and batches as the API returns them. */
final class JobText {
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  private JobText() {}

  /** A job's status, progress, error and image URLs, several lines. */
  static String job(JsonNode j) {
    StringBuilder s = new StringBuilder();
    s.append("job ").append(j.path("id").asText()).append("  ").append(j.path("status").asText());
    s.append("  attempts ").append(j.path("attempts").asInt());
    s.append('/').append(j.path("max_attempts").asInt());
    JsonNode p = j.path("progress");
    if (p.isObject() && !TERMINAL.contains(j.path("status").asText())) {
      s.append("  ").append(progress(p));
    }
    if (!j.path("worker").isMissingNode() && !j.path("worker").isNull()) {
      s.append("  worker ").append(j.path("worker").asText());
    }
    JsonNode e = j.path("error");
    if (e.isObject()) {
      s.append("\n  error ").append(e.path("code").asText()).append(": ");
      s.append(e.path("message").asText());
      s.append(e.path("retryable").asBoolean() ? " (retryable)" : "");
    }
    for (JsonNode img : j.path("result").path("images")) {
      s.append("\n  image ").append(img.path("width").asInt()).append('x');
      s.append(img.path("height").asInt()).append(" seed ").append(img.path("seed").asText());
      s.append("  ").append(img.path("url").asText());
    }
    return s.toString();
  }

  /** {@code prior 3/20}. */
  static String progress(JsonNode p) {
    return p.path("stage").asText() + " " + p.path("step").asInt() + "/" + p.path("steps").asInt();
  }

  /** One line of counts: {@code batch <id> 50 jobs succeeded 20 running 2 ...}. */
  static String batch(JsonNode b) {
    StringBuilder s = new StringBuilder();
    int total = b.path("job_count").asInt();
    int finished = 0;
    StringBuilder counts = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = b.path("counts").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      counts.append("  ").append(e.getKey()).append(' ').append(e.getValue().asInt());
      if (TERMINAL.contains(e.getKey())) {
        finished += e.getValue().asInt();
      }
    }
    s.append(bar(finished, total)).append(' ').append(finished).append('/').append(total);
    s.append(counts);
    if (b.path("done").asBoolean()) {
      s.append("  done");
    }
    return s.toString();
  }

  static String bar(int done, int total) {
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }
}
