package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.pipeline.control.TinyLoraWriter;
import io.cascadefarm.cascade.pipeline.control.face.TinyFaceModels;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.json.Json;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ControlNet and LoRA jobs over HTTP on a standalone farm (real embedded Kafka, PostgreSQL, S3;
 * tiny model, 64 px, 1+1 steps): uploads of the image and mask, {@code POST /v1/loras}, then one
 * batch with every control type and LoRA jobs; all succeed with PNGs of the requested size.
 */
class ControlLoraEndToEndTest {
  @TempDir Path dataDir;

  static byte[] png(boolean mask) throws Exception {
    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(mask ? Color.BLACK : Color.BLUE);
    g.fillRect(0, 0, 48, 40);
    g.setColor(mask ? Color.WHITE : Color.YELLOW);
    g.fillOval(12, 10, 24, 20);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void everyControlTypeAndLoraRenderThroughTheFarm() throws Exception {
    Path tinyCache = Path.of(Models.DIR).resolve(".tiny-cache");
    TinyFaceModels.write(
        TinyPreset.prepare(tinyCache).controlNet("identity").getParent().resolve("face"), 8);
    Path lora = TinyLoraWriter.write(dataDir.resolve("style.safetensors"), 7);
    try (StandaloneFarm farm =
        StandaloneFarm.start(
            StandaloneOptions.ephemeral(dataDir, 1, null).withSettings(Models.TEST_SETTINGS),
            System.out)) {
      ApiClient c = new ApiClient(farm.apiUrl());
      String image =
          c.post("/v1/uploads", png(false), "image/png", Map.of()).path("image").asText();
      String mask = c.post("/v1/uploads", png(true), "image/png", Map.of()).path("image").asText();
      JsonNode up =
          c.post(
              "/v1/loras?name=style",
              Files.readAllBytes(lora),
              "application/octet-stream",
              Map.of());
      assertEquals("loras/style.safetensors", up.path("key").asText(), up.toString());

      ObjectNode body = Json.mapper().createObjectNode();
      ObjectNode d = body.putObject("defaults");
      d.put("model", "tiny").put("width", 64).put("height", 64).put("prompt", "a tiny farm test");
      d.putObject("prior").put("steps", 1);
      d.putObject("decoder").put("steps", 1);
      for (String control :
          List.of("canny", "inpaint", "outpaint", "super_resolution", "identity")) {
        ObjectNode j = body.withArray("jobs").addObject();
        j.put("kind", "controlnet").put("control", control).put("image", image);
        if (control.equals("inpaint")) {
          j.put("mask", mask);
        }
      }
      body.withArray("jobs")
          .addObject()
          .put("prompt", "a dog [fernando]")
          .putArray("loras")
          .addObject()
          .put("name", "style")
          .put("strength", 0.8);
      ObjectNode both = body.withArray("jobs").addObject();
      both.put("kind", "controlnet").put("control", "canny").put("image", image);
      both.putArray("loras").addObject().put("name", "style").put("strength", 1.0);
      String batch = c.postJson("/v1/batches", body).path("id").asText();

      FarmApi api = new FarmApi(farm.apiUrl());
      JsonNode done = api.awaitDone(batch, Duration.ofMinutes(10));
      assertEquals(7, done.path("counts").path("succeeded").asInt(), done::toString);
      List<String> ids = api.jobIds(batch);
      assertEquals(7, ids.size());
      for (String id : ids) {
        api.assertSucceededWithPng(id, 64, 64);
      }
    }
  }
}
