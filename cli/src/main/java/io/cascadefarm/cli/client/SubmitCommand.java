package io.cascadefarm.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farm submit}: one job from flags ({@code POST /v1/jobs}) or a batch file ({@code POST
 * /v1/batches}); prints the job or batch id on stdout.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submits one job (flags) or a batch (--batch FILE.json|FILE.ndjson; flags become defaults).",
      "Prints the job or batch id on stdout."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin JobFlags job;

  @Option(names = "--batch", paramLabel = "FILE", description = "A .json or .ndjson batch file")
  Path batch;

  @Option(names = "--idempotency-key", description = "Idempotency-Key header of a single job")
  String idempotencyKey;

  @Override
  public Integer call() {
    ApiClient client = api.client();
    ObjectNode fields = job.toJson(file -> upload(client, file));
    if (batch != null) {
      JsonNode r = client.postJson("/v1/batches", BatchFile.read(batch, fields));
      String id = r.path("id").asText();
      spec.commandLine().getOut().println(id);
      spec.commandLine()
          .getErr()
          .printf(
              "batch %s: %d job(s) queued; follow with: farm status --batch %s --watch%n",
              id, r.path("job_count").asInt(), id);
      return 0;
    }
    Map<String, String> headers = new HashMap<>();
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    JsonNode r = client.post("/v1/jobs", Json.toBytes(fields), "application/json", headers);
    String id = r.path("id").asText();
    spec.commandLine().getOut().println(id);
    spec.commandLine()
        .getErr()
        .printf(
            "job %s %s; follow with: farm status %s --watch%n", id, r.path("status").asText(), id);
    return 0;
  }

  /** Uploads a PNG, JPEG, WebP or safetensors file and returns its {@code uploads/...} key. */
  static String upload(ApiClient client, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode r = client.post("/v1/uploads", bytes, contentType(file), Map.of());
    return r.path("image").asText();
  }

  private static String contentType(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (n.endsWith(".safetensors")) {
      return "application/octet-stream";
    }
    return n.endsWith(".webp") ? "image/webp" : "image/png";
  }
}
