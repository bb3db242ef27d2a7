package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.json.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/batches/{id}/results.jsonl} and {@code archive.zip} on the real embedded services:
 * every job's line and every succeeded image, and the zip of a 2,000-job batch streamed while the
 * heap (dispatcher and client share this JVM) stays far below the archive's size.
 */
class BulkResultsIntegrationTest {
  static ScaleFarm farm;

  @BeforeAll
  static void start() {
    farm = new ScaleFarm(Map.of());
  }

  @AfterAll
  static void stop() {
    if (farm != null) {
      farm.close();
    }
  }

  static byte[] png(int i) throws IOException {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    img.setRGB(i % 16, i / 16 % 16, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static String batchOf(String key, int n) {
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < n; i++) {
      nd.append("{\"prompt\":\"bulk ").append(i).append("\"}\n");
    }
    ScaleFarm.Answer a =
        farm.send(
            key, "POST", "/v1/batches", nd.toString(), "Content-Type", "application/x-ndjson");
    assertEquals(202, a.status(), a.text());
    return a.json().path("id").asText();
  }

  @Test
  void theResultsOfA50JobBatchAre50LinesAnd50Pngs() throws Exception {
    String key = farm.newKey();
    String batch = batchOf(key, 50);
    List<String> jobs = farm.jobIds(key, batch);
    assertEquals(50, jobs.size());
    Map<String, byte[]> pngs = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      String k = "results/" + jobs.get(i) + "/1/0.png";
      pngs.put(jobs.get(i), png(i));
      farm.objects.put(k, pngs.get(jobs.get(i)), "image/png");
      farm.succeed(jobs.get(i), k, 1000 + i);
    }

    ScaleFarm.Answer lines = farm.get(key, "/v1/batches/" + batch + "/results.jsonl");
    assertEquals(200, lines.status(), lines.text());
    String[] text = lines.text().split("\n");
    assertEquals(50, text.length);
    for (int i = 0; i < 50; i++) {
      JsonNode line = Json.mapper().readTree(text[i]);
      assertEquals(i, line.path("index").asInt());
      assertEquals(jobs.get(i), line.path("id").asText());
      assertEquals("succeeded", line.path("status").asText());
      assertTrue(line.path("params").path("seed").isNumber(), "resolved seed: " + line);
      assertEquals("bulk " + i, line.path("params").path("prompt").asText());
      assertTrue(line.path("images").path(0).path("url").asText().startsWith("http"), text[i]);
    }

    HttpResponse<InputStream> zip = farm.stream(key, "/v1/batches/" + batch + "/archive.zip");
    assertEquals(200, zip.statusCode());
    int images = 0;
    int jsonl = 0;
    try (ZipInputStream in = new ZipInputStream(zip.body())) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals("results.jsonl")) {
          jsonl = new String(bytes, StandardCharsets.UTF_8).split("\n").length;
          assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"file\":\"images/"));
        } else {
          assertTrue(e.getName().matches("images/\\d{6}-[0-9a-f-]{36}-0\\.png"), e.getName());
          String job = e.getName().substring(14, 50);
          assertArrayEquals(pngs.get(job), bytes, e.getName());
          images++;
        }
      }
    }
    assertEquals(50, jsonl);
    assertEquals(50, images);

    assertEquals(404, farm.get(farm.newKey(), "/v1/batches/" + batch + "/results.jsonl").status());
    assertEquals(404, farm.get(key, "/v1/batches/not-a-batch/archive.zip").status());
  }

  @Test
  void jobViewResultsJsonlAndArchiveCarryTheStoredImagesLengthAndSha256() throws Exception {
    String key = farm.newKey();
    String batch = batchOf(key, 2);
    List<String> jobs = farm.jobIds(key, batch);
    String recorded = "results/" + jobs.get(0) + "/1/0.png";
    farm.objects.put(recorded, png(3), "image/png");
    byte[] stored = farm.objects.get(recorded).orElseThrow();
    farm.succeed(jobs.get(0), ResultImage.stored(recorded, 16, 16, 3, stored));
    String old = "results/" + jobs.get(1) + "/1/0.png";
    farm.objects.put(old, png(4), "image/png");
    farm.succeed(jobs.get(1), old, 4);
    String sha = sha256(stored);

    JsonNode view = farm.get(key, "/v1/jobs/" + jobs.get(0)).json().path("result").path("images");
    assertEquals(stored.length, view.path(0).path("bytes").asLong(), view.toString());
    assertEquals(sha, view.path(0).path("sha256").asText(), view.toString());
    JsonNode oldView =
        farm.get(key, "/v1/jobs/" + jobs.get(1)).json().path("result").path("images").path(0);
    assertFalse(oldView.has("bytes") || oldView.has("sha256"), oldView.toString());

    String[] lines = farm.get(key, "/v1/batches/" + batch + "/results.jsonl").text().split("\n");
    JsonNode line = Json.mapper().readTree(lines[0]).path("images").path(0);
    assertEquals(stored.length, line.path("bytes").asLong(), lines[0]);
    assertEquals(sha, line.path("sha256").asText(), lines[0]);
    JsonNode oldLine = Json.mapper().readTree(lines[1]).path("images").path(0);
    assertFalse(oldLine.has("bytes") || oldLine.has("sha256"), lines[1]);

    HttpResponse<InputStream> zip = farm.stream(key, "/v1/batches/" + batch + "/archive.zip");
    assertEquals(200, zip.statusCode());
    Map<String, JsonNode> byFile = new HashMap<>();
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(zip.body())) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals("results.jsonl")) {
          for (String l : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            JsonNode image = Json.mapper().readTree(l).path("images").path(0);
            byFile.put(image.path("file").asText(), image);
          }
        } else {
          entries.put(e.getName(), bytes);
        }
      }
    }
    assertEquals(2, entries.size());
    int verified = 0;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      JsonNode image = byFile.get(e.getKey());
      if (image.has("sha256")) {
        assertEquals(e.getValue().length, image.path("bytes").asLong(), e.getKey());
        assertEquals(sha256(e.getValue()), image.path("sha256").asText(), e.getKey());
        verified++;
      }
    }
    assertEquals(1, verified, "the one image with a recorded digest");
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theZipOfA2000JobBatchStreamsWithTheHeapBounded() throws Exception {
    String key = farm.newKey();
    String batch = batchOf(key, 2000);
    List<String> jobs = farm.jobIds(key, batch);
    byte[] image = new byte[64 * 1024];
    new Random(7).nextBytes(image);
    String shared = "results/bulk-" + batch + ".png";
    farm.objects.put(shared, image, "image/png");
    for (String j : jobs) {
      farm.succeed(j, shared, 1);
    }
    long total = 2000L * image.length;
    long before = usedAfterGc();
    long[] during = {-1};
    HttpResponse<InputStream> zip = farm.stream(key, "/v1/batches/" + batch + "/archive.zip");
    assertEquals(200, zip.statusCode());
    int images = 0;
    long read;
    try (Probe probe = new Probe(zip.body(), total / 2, () -> during[0] = usedAfterGc());
        ZipInputStream in = new ZipInputStream(probe)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (!e.getName().equals("results.jsonl")) {
          assertEquals(image.length, bytes.length);
          images++;
        }
      }
      read = probe.count;
    }
    assertEquals(2000, images);
    assertTrue(read > total, "streamed " + read + " bytes");
    long grown = during[0] - before;
    System.out.printf(
        "archive.zip of 2000 jobs: %d MiB streamed; heap after GC at half-way %+d MiB%n",
        read >> 20, grown >> 20);
    assertTrue(
        grown < total / 8,
        "heap grew by " + grown + " bytes while streaming " + total + " bytes of images");
  }

  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Counts bytes read and runs {@code at} once when the count passes {@code mark}. */
  static final class Probe extends FilterInputStream {
    long count;
    private final long mark;
    private Runnable at;

    Probe(InputStream in, long mark, Runnable at) {
      super(in);
      this.mark = mark;
      this.at = at;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        passed(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        passed(n);
      }
      return n;
    }

    private void passed(int n) {
      count += n;
      if (count >= mark && at != null) {
        at.run();
        at = null;
      }
    }
  }
}
