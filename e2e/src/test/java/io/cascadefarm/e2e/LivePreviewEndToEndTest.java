package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.client.ApiException;
import io.cascadefarm.cli.farm.FarmRenderers;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's live previews on the real embedded Kafka, PostgreSQL and S3, with the real tiny
 * pipeline: a batch of two compatible 256x256 jobs rendered together by one worker (batch size 2),
 * one with {@code preview_every: 1}, one without. Over {@code /v1/events?batch=} the first gets
 * {@code preview} events whose fresh URL serves a PNG, the second none; afterwards {@code GET
 * /v1/jobs/{id}/preview} returns the first's latest preview, a PNG of the Previewer's size (8x the
 * Stage C latent: 48x48), and a 404 naming {@code preview} for the second. {@link
 * WatchedPreviewRenderer} holds the render until the event stream is open.
 */
class LivePreviewEndToEndTest {
  static final int SIZE = 256;
  static final int PREVIEW = 48; // 8 * ceil(256 / 42.67)
  @TempDir Path dataDir;

  @Test
  void previewEventsAndRouteForTheJobThatAskedNoneForItsNeighbour() throws Exception {
    Map<String, String> settings = new HashMap<>(Models.TEST_SETTINGS);
    settings.put(WorkerConfig.BATCH_SIZE.name(), "2");
    CascadeRenderer real = FarmRenderers.create(WorkerConfig.from(ConfigSource.of(settings)));
    WatchedPreviewRenderer renderer = new WatchedPreviewRenderer(real, 40);
    try (StandaloneFarm farm =
        StandaloneFarm.start(
            StandaloneOptions.ephemeral(dataDir, 1, renderer).withSettings(settings), System.out)) {
      ApiClient client = new ApiClient(farm.apiUrl());
      ObjectNode body = Json.mapper().createObjectNode();
      ObjectNode defaults =
          body.putObject("defaults").put("model", "tiny").put("width", SIZE).put("height", SIZE);
      defaults.putObject("prior").put("steps", 30);
      defaults.putObject("decoder").put("steps", 2);
      body.withArray("jobs").addObject().put("prompt", "with previews").put("preview_every", 1);
      body.withArray("jobs").addObject().put("prompt", "without previews");
      String batch = client.postJson("/v1/batches", body).path("id").asText();
      String watched = null;
      String plain = null;
      for (JsonNode j : client.get("/v1/batches/" + batch + "/jobs").path("jobs")) {
        if (j.path("params").path("preview_every").asInt(0) == 1) {
          watched = j.path("id").asText();
        } else {
          plain = j.path("id").asText();
        }
      }
      assertNotNull(watched);
      assertNotNull(plain);

      List<JsonNode> previews = new CopyOnWriteArrayList<>();
      Set<String> finished = ConcurrentHashMap.newKeySet();
      CountDownLatch snapshot = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      InputStream stream = client.stream("/v1/events?batch=" + batch);
      Thread reader =
          new Thread(
              () -> readEvents(stream, snapshot, previews, finished, done), "preview-test-sse");
      reader.setDaemon(true);
      reader.start();
      assertTrue(snapshot.await(30, TimeUnit.SECONDS), "no snapshot event");
      renderer.open();
      assertTrue(done.await(5, TimeUnit.MINUTES), "jobs not finished; finished: " + finished);
      stream.close();

      assertEquals("succeeded", client.get("/v1/jobs/" + watched).path("status").asText());
      assertEquals("succeeded", client.get("/v1/jobs/" + plain).path("status").asText());
      String w = watched;
      List<JsonNode> ofWatched =
          previews.stream().filter(e -> w.equals(e.path("job_id").asText())).toList();
      assertEquals(previews.size(), ofWatched.size(), "previews of the job without preview_every");
      assertTrue(ofWatched.size() >= 2, "preview events: " + previews);
      System.out.printf(
          "live previews: %d preview event(s) for 30 Stage C steps at preview_every 1%n",
          ofWatched.size());
      int lastStep = 0;
      for (JsonNode e : ofWatched) {
        JsonNode p = e.path("preview");
        assertEquals("running", e.path("status").asText());
        assertEquals(30, p.path("steps").asInt());
        assertTrue(p.path("step").asInt() > lastStep, "steps increase: " + ofWatched);
        lastStep = p.path("step").asInt();
        assertEquals(PREVIEW, p.path("width").asInt());
        assertEquals(PREVIEW, p.path("height").asInt());
      }
      BufferedImage viaUrl =
          png(
              client.fetch(
                  ofWatched.get(ofWatched.size() - 1).path("preview").path("url").asText()));
      assertEquals(PREVIEW, viaUrl.getWidth());

      BufferedImage latest = png(client.fetch("/v1/jobs/" + watched + "/preview"));
      assertEquals(PREVIEW, latest.getWidth());
      assertEquals(PREVIEW, latest.getHeight());
      String noPreview = "/v1/jobs/" + plain + "/preview";
      ApiException none =
          org.junit.jupiter.api.Assertions.assertThrows(
              ApiException.class, () -> client.fetch(noPreview));
      assertEquals(404, none.status());
      assertTrue(none.getMessage().contains("\"preview\""), none.getMessage());
      assertTrue(none.getMessage().contains("preview_every"), none.getMessage());
    } finally {
      real.close();
    }
  }

  private static BufferedImage png(byte[] bytes) throws Exception {
    assertEquals(0x89, bytes[0] & 0xff, "PNG signature");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertNotNull(img, "not a decodable PNG");
    return img;
  }

  /**
   * Reads the stream: counts down {@code snapshot}, keeps previews, ends when both jobs finished.
   */
  private static void readEvents(
      InputStream in,
      CountDownLatch snapshot,
      List<JsonNode> previews,
      Set<String> finished,
      CountDownLatch done) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String type = "message";
      List<String> data = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5).strip());
        } else if (line.isEmpty() && !data.isEmpty()) {
          JsonNode e = Json.mapper().readTree(String.join("\n", data));
          switch (type) {
            case "snapshot" -> snapshot.countDown();
            case "preview" -> previews.add(e);
            case "status" -> {
              String s = e.path("status").asText();
              if (s.equals("succeeded") || s.equals("failed") || s.equals("cancelled")) {
                finished.add(e.path("job_id").asText());
              }
            }
            default -> {}
          }
          if (finished.size() == 2) {
            done.countDown();
            return;
          }
          type = "message";
          data.clear();
        }
      }
    } catch (Exception e) {
      // the test closed the stream, or it broke: the latches tell
    }
  }
}
