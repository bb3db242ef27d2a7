package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.common.json.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** What the end-to-end tests do over HTTP: submit tiny batches, wait, read jobs, fetch PNGs. */
final class FarmApi {
  private final ApiClient client;

  FarmApi(String baseUrl) {
    this.client = new ApiClient(baseUrl);
  }

  /**
   * POSTs a batch of {@code n} tiny text-to-image jobs of the given size with the default steps;
   * returns its id.
   */
  String submitTinyBatch(int n, int width, int height) {
    return submit(n, defaults(width, height));
  }

  /** Like {@link #submitTinyBatch} with 2 prior and 2 decoder steps (same code path, less CPU). */
  String submitQuickTinyBatch(int n, int width, int height) {
    ObjectNode defaults = defaults(width, height);
    defaults.putObject("prior").put("steps", 2);
    defaults.putObject("decoder").put("steps", 2);
    return submit(n, defaults);
  }

  private static ObjectNode defaults(int width, int height) {
    return Json.mapper()
        .createObjectNode()
        .put("model", "tiny")
        .put("width", width)
        .put("height", height);
  }

  private String submit(int n, ObjectNode defaults) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("defaults", defaults);
    for (int i = 0; i < n; i++) {
      body.withArray("jobs").addObject().put("kind", "text_to_image").put("prompt", "cat " + i);
    }
    JsonNode r = client.postJson("/v1/batches", body);
    assertEquals(n, r.path("job_count").asInt(), () -> "job_count of " + r);
    return r.path("id").asText();
  }

  /** Polls the batch until every job is final; fails after {@code timeout}. */
  JsonNode awaitDone(String batch, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode b = batch(batch);
    while (!b.path("done").asBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("batch " + batch + " not done after " + timeout + ": " + b.path("counts"));
      }
      Thread.sleep(250);
      b = batch(batch);
    }
    return b;
  }

  JsonNode batch(String batch) {
    return client.get("/v1/batches/" + batch);
  }

  JsonNode job(String id) {
    return client.get("/v1/jobs/" + id);
  }

  /** Every job id of the batch, through the keyset pages. */
  List<String> jobIds(String batch) {
    List<String> ids = new ArrayList<>();
    String after = null;
    do {
      JsonNode page =
          client.get(
              "/v1/batches/" + batch + "/jobs?limit=20" + (after == null ? "" : "&after=" + after));
      page.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
      after = page.path("next").isTextual() ? page.path("next").asText() : null;
    } while (after != null);
    return ids;
  }

  /**
   * GETs the job, checks it succeeded, follows its presigned URL, decodes the PNG and checks the
   * requested size.
   */
  void assertSucceededWithPng(String jobId, int width, int height) throws IOException {
    JsonNode job = job(jobId);
    assertEquals("succeeded", job.path("status").asText(), () -> "job " + job);
    JsonNode images = job.path("result").path("images");
    assertEquals(1, images.size(), () -> "images of " + job);
    JsonNode image = images.get(0);
    assertEquals(width, image.path("width").asInt());
    assertEquals(height, image.path("height").asInt());
    byte[] png = client.download(image.path("url").asText());
    assertEquals(0x89, png[0] & 0xFF, "PNG signature");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(decoded, () -> "not a decodable image behind " + image.path("url"));
    assertEquals(width, decoded.getWidth(), "decoded width");
    assertEquals(height, decoded.getHeight(), "decoded height");
  }
}
