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
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train_lora} job over HTTP on a standalone farm (real embedded Kafka, PostgreSQL, S3;
 * tiny model): 16 uploaded images of three aspect ratios with captions naming a new token, 8
 * updates with grad accumulation 2 and a checkpoint every 3; the job succeeds with the LoRA named
 * in its result, the losses of its steps are recorded (printed, not asserted: the tiny model's
 * weights are random), {@code GET /v1/loras} lists the LoRA, and a render job using it with its new
 * token succeeds with a PNG.
 */
class TrainLoraEndToEndTest {
  @TempDir Path dataDir;

  static byte[] png(int i) throws Exception {
    int w = i % 3 == 0 ? 96 : 128;
    int h = i % 3 == 1 ? 96 : 128;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color((i * 53) % 256, (i * 97) % 256, (i * 31) % 256));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(10 + i, 12, w / 2, h / 3);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void trainsALoraThatRendersWithItsToken() throws Exception {
    try (StandaloneFarm farm =
        StandaloneFarm.start(
            StandaloneOptions.ephemeral(dataDir, 1, null).withSettings(Models.TEST_SETTINGS),
            System.out)) {
      ApiClient c = new ApiClient(farm.apiUrl());
      ObjectNode job = Json.mapper().createObjectNode();
      job.put("kind", "train_lora").put("model", "tiny").put("lora_name", "fernando");
      ArrayNode images = job.putObject("dataset").putArray("images");
      for (int i = 0; i < 16; i++) {
        String key = c.post("/v1/uploads", png(i), "image/png", Map.of()).path("image").asText();
        images.addObject().put("image", key).put("caption", "a photo of [fernando] number " + i);
      }
      job.put("steps", 8).put("rank", 4).put("lr", 1e-3).put("batch_size", 4);
      job.put("grad_accum_steps", 2).put("warmup_updates", 1).put("save_every", 3);
      job.put("image_size", 128).put("seed", 11);
      job.putArray("train_tokens").addArray().add("[fernando]").add("^a");
      String id = c.postJson("/v1/jobs", job).path("id").asText();

      Map<Integer, Double> losses = new TreeMap<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      JsonNode j = c.get("/v1/jobs/" + id);
      while (!j.path("status").asText().matches("succeeded|failed|cancelled")) {
        JsonNode p = j.path("progress");
        if (p.path("stage").asText().equals("train") && p.has("loss")) {
          losses.put(p.path("step").asInt(), p.path("loss").asDouble());
        }
        if (System.nanoTime() > deadline) {
          fail("train_lora job not done: " + j);
        }
        Thread.sleep(100);
        j = c.get("/v1/jobs/" + id);
      }
      System.out.println("train_lora losses by update (recorded, not asserted): " + losses);
      assertEquals("succeeded", j.path("status").asText(), j::toString);
      JsonNode result = j.path("result");
      assertEquals("fernando", result.path("lora").path("name").asText(), result::toString);
      assertTrue(result.path("lora").path("sha256").asText().matches("[0-9a-f]{64}"));
      assertEquals(8, result.path("steps").asInt());
      assertTrue(Double.isFinite(result.path("loss").asDouble()), result::toString);
      System.out.println("train_lora final loss (EMA): " + result.path("loss").asDouble());

      JsonNode listed = c.get("/v1/loras");
      assertTrue(listed.path("loras").toString().contains("\"fernando\""), listed::toString);

      ObjectNode render = Json.mapper().createObjectNode();
      render.put("prompt", "a photo of [fernando] on a sofa").put("model", "tiny");
      render.put("width", 64).put("height", 64);
      render.putObject("prior").put("steps", 1);
      render.putObject("decoder").put("steps", 1);
      render.putArray("loras").addObject().put("name", "fernando").put("strength", 1.0);
      String renderId = c.postJson("/v1/jobs", render).path("id").asText();
      FarmApi api = new FarmApi(farm.apiUrl());
      JsonNode r = c.get("/v1/jobs/" + renderId);
      while (!r.path("status").asText().matches("succeeded|failed|cancelled")) {
        if (System.nanoTime() > deadline) {
          fail("render job not done: " + r);
        }
        Thread.sleep(100);
        r = c.get("/v1/jobs/" + renderId);
      }
      api.assertSucceededWithPng(renderId, 64, 64);

      // the same dataset as one zip (POST /v1/datasets), two quick updates, another name
      java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
      try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
        for (int i = 0; i < 4; i++) {
          z.putNextEntry(new java.util.zip.ZipEntry(String.format("%03d.png", i)));
          z.write(png(i));
          z.putNextEntry(new java.util.zip.ZipEntry(String.format("%03d.txt", i)));
          z.write(("a photo of [fernando] " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      JsonNode ds = c.post("/v1/datasets", zip.toByteArray(), "application/zip", Map.of());
      assertEquals(4, ds.path("images").asInt(), ds::toString);
      ObjectNode second = job.deepCopy();
      second.put("lora_name", "fernando-zip").put("steps", 2).put("save_every", 1);
      second.putObject("dataset").put("archive", ds.path("archive").asText());
      String secondId = c.postJson("/v1/jobs", second).path("id").asText();
      JsonNode s2 = c.get("/v1/jobs/" + secondId);
      while (!s2.path("status").asText().matches("succeeded|failed|cancelled")) {
        if (System.nanoTime() > deadline) {
          fail("archive train_lora job not done: " + s2);
        }
        Thread.sleep(100);
        s2 = c.get("/v1/jobs/" + secondId);
      }
      assertEquals("succeeded", s2.path("status").asText(), s2::toString);
      assertEquals("fernando-zip", s2.path("result").path("lora").path("name").asText());
    }
  }
}
