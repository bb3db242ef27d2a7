package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune_c} and {@code finetune_b} jobs over HTTP on a standalone farm (real embedded
 * Kafka, PostgreSQL, S3; tiny model; standalone turns {@code farm.training.finetune-enabled} on and
 * its one user holds every scope): 8 uploaded images with captions, 3 updates with a checkpoint
 * every update (Stage C with an EMA copy). Each job succeeds with the model {@code <tenant>/<name>}
 * in its result, the losses of its steps are recorded (printed, not asserted: the tiny weights are
 * random), {@code GET /v1/models} lists the model under {@code fine_tuned}, and a render job with
 * {@code "model": "<tenant>/<name>"} succeeds with a PNG.
 */
class FinetuneEndToEndTest {
  @TempDir Path dataDir;

  @Test
  void fineTunedStagesRenderAsTheTenantsModels() throws Exception {
    try (StandaloneFarm farm =
        StandaloneFarm.start(
            StandaloneOptions.ephemeral(dataDir, 1, null).withSettings(Models.TEST_SETTINGS),
            System.out)) {
      ApiClient c = new ApiClient(farm.apiUrl());
      ObjectNode dataset = Json.mapper().createObjectNode();
      ArrayNode images = dataset.putArray("images");
      for (int i = 0; i < 8; i++) {
        String key =
            c.post("/v1/uploads", TrainLoraEndToEndTest.png(i), "image/png", Map.of())
                .path("image")
                .asText();
        images.addObject().put("image", key).put("caption", "a photo of a dog number " + i);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      String stageC = train(c, "finetune_c", "dogs-c", dataset, deadline, true);
      String stageB = train(c, "finetune_b", "dogs-b", dataset, deadline, false);

      JsonNode listed = c.get("/v1/models").path("fine_tuned");
      assertTrue(listed.toString().contains("\"" + stageC + "\""), listed::toString);
      assertTrue(listed.toString().contains("\"" + stageB + "\""), listed::toString);

      FarmApi api = new FarmApi(farm.apiUrl());
      for (String model : new String[] {stageC, stageB}) {
        ObjectNode render = Json.mapper().createObjectNode();
        render.put("prompt", "a photo of a dog on a sofa").put("model", model);
        render.put("width", 64).put("height", 64);
        render.putObject("prior").put("steps", 1);
        render.putObject("decoder").put("steps", 1);
        String id = c.postJson("/v1/jobs", render).path("id").asText();
        JsonNode r = c.get("/v1/jobs/" + id);
        while (!r.path("status").asText().matches("succeeded|failed|cancelled")) {
          if (System.nanoTime() > deadline) {
            fail("render job with " + model + " not done: " + r);
          }
          Thread.sleep(100);
          r = c.get("/v1/jobs/" + id);
        }
        api.assertSucceededWithPng(id, 64, 64);
      }
    }
  }

  /** Submits a fine-tuning job, waits for it, checks its result; returns the model name. */
  private static String train(
      ApiClient c, String kind, String name, ObjectNode dataset, long deadline, boolean ema)
      throws Exception {
    ObjectNode job = Json.mapper().createObjectNode();
    job.put("kind", kind).put("model", "tiny").put("model_name", name);
    job.set("dataset", dataset);
    job.put("steps", 3).put("lr", 1e-3).put("batch_size", 2).put("grad_accum_steps", 1);
    job.put("warmup_updates", 1).put("save_every", 1).put("image_size", 128).put("seed", 5);
    if (ema) {
      job.put("ema_iters", 1).put("ema_beta", 0.9).put("ema_start_iters", 1);
    }
    String id = c.postJson("/v1/jobs", job).path("id").asText();
    Map<Integer, Double> losses = new TreeMap<>();
    JsonNode j = c.get("/v1/jobs/" + id);
    while (!j.path("status").asText().matches("succeeded|failed|cancelled")) {
      JsonNode p = j.path("progress");
      if (p.path("stage").asText().equals("train") && p.has("loss")) {
        losses.put(p.path("step").asInt(), p.path("loss").asDouble());
      }
      if (System.nanoTime() > deadline) {
        fail(kind + " job not done: " + j);
      }
      Thread.sleep(100);
      j = c.get("/v1/jobs/" + id);
    }
    System.out.println(kind + " losses by update (recorded, not asserted): " + losses);
    assertEquals("succeeded", j.path("status").asText(), j::toString);
    JsonNode result = j.path("result");
    String model = result.path("model").path("name").asText();
    assertTrue(model.endsWith("/" + name), result::toString);
    assertTrue(result.path("model").path("sha256").asText().matches("[0-9a-f]{64}"));
    assertEquals(3, result.path("steps").asInt());
    assertTrue(Double.isFinite(result.path("loss").asDouble()), result::toString);
    return model;
  }
}
