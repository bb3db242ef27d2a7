package io.cascadefarm.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The dispatcher's HTTP API as the suite uses it: tiny batches, batch counts, retry. */
final class FarmHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;

  FarmHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A status code and body; the status is -1 when the dispatcher could not be reached. */
  record Answer(int status, String body, String retryAfter) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /**
   * The body of a batch of tiny text-to-image jobs (64x64, 1 image, 3 prior and 2 decoder steps),
   * one per prompt.
   */
  static String tinyBatch(List<String> prompts) {
    return tinyBatch(prompts, 3);
  }

  /** Like {@link #tinyBatch(List)} with {@code priorSteps} Stage C steps (a longer render). */
  static String tinyBatch(List<String> prompts, int priorSteps) {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode d = body.putObject("defaults");
    d.put("kind", "text_to_image").put("model", "tiny").put("width", 64).put("height", 64);
    d.putObject("prior").put("steps", priorSteps);
    d.putObject("decoder").put("steps", 2);
    ArrayNode jobs = body.putArray("jobs");
    prompts.forEach(p -> jobs.addObject().put("prompt", p));
    return body.toString();
  }

  /** POSTs a tiny batch; the answer's JSON has {@code id} and {@code job_count} on 202. */
  Answer submit(List<String> prompts) {
    return send("POST", "/v1/batches", tinyBatch(prompts));
  }

  /** POSTs a tiny batch with {@code priorSteps} Stage C steps per job. */
  Answer submit(List<String> prompts, int priorSteps) {
    return send("POST", "/v1/batches", tinyBatch(prompts, priorSteps));
  }

  JsonNode batch(String id) {
    return send("GET", "/v1/batches/" + id, null).json();
  }

  Answer retryBatch(String id) {
    return send("POST", "/v1/batches/" + id + "/retry", "");
  }

  Answer send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      return new Answer(-1, e.toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted", null);
    }
  }
}
