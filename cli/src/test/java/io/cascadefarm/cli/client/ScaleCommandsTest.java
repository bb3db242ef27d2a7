package io.cascadefarm.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.Farm;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm submit} with issue 12's fields, {@code farm jobs list}, {@code farm batches list} and
 * {@code farm download} (including a resume after lost and truncated images) against a dispatcher
 * on the real embedded services.
 */
class ScaleCommandsTest {
  @TempDir static Path dir;
  static Dispatcher dispatcher;
  static Database db;
  static JdbcJobStore store;
  static S3ObjectStore objects;
  static String api;

  @BeforeAll
  static void start() {
    Map<String, String> m = new HashMap<>();
    TestServices.endpoints().toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.kafka.topic-prefix", "cli-" + UUID.randomUUID().toString().substring(0, 8));
    m.put("farm.kafka.job-partitions", "1");
    m.put("farm.http.host", "127.0.0.1");
    m.put("farm.http.port", "0");
    m.put("farm.auth.enabled", "false");
    DispatcherConfig c = DispatcherConfig.from(ConfigSource.of(m));
    db = Database.create(c.db());
    db.migrate();
    store = db.jobStore();
    objects = S3ObjectStore.connect(c.s3());
    dispatcher = Dispatchers.fromConfig(c);
    dispatcher.start();
    api = dispatcher.baseUrl();
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    objects.close();
    db.close();
  }

  static byte[] png(int i) throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    img.setRGB(i % 8, 0, 0x00ff00);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void submitTakesTheNewFields() {
    Farm f =
        Farm.run(
            "submit",
            "--api",
            api,
            "--prompt",
            "flags",
            "--priority",
            "high",
            "--label",
            "team=cli",
            "--label",
            "run=7",
            "--guidance",
            "4.5",
            "--shift",
            "2",
            "--decoder-guidance",
            "1.5",
            "--decoder-steps",
            "12",
            "--preview-every",
            "5",
            "--webhook-event",
            "job.failed");
    assertEquals(0, f.exitCode(), f.err());
    String id = f.out().trim().split("\\s+")[0];
    JsonNode p = new ApiClient(api).get("/v1/jobs/" + id).path("params");
    assertEquals("high", p.path("priority").asText());
    assertEquals("cli", p.path("labels").path("team").asText());
    assertEquals("7", p.path("labels").path("run").asText());
    assertEquals(4.5, p.path("prior").path("guidance").asDouble());
    assertEquals(2.0, p.path("prior").path("shift").asDouble());
    assertEquals(1.5, p.path("decoder").path("guidance").asDouble());
    assertEquals(12, p.path("decoder").path("steps").asInt());
    assertEquals(5, p.path("preview_every").asInt());
    assertEquals("job.failed", p.path("webhook_events").path(0).asText());
  }

  @Test
  void modelsListFarmShowsWhatWorkersReported() {
    String w = "cli-w-" + UUID.randomUUID();
    new io.cascadefarm.db.WorkerModelTable(db.dataSource())
        .report(
            List.of(
                new io.cascadefarm.common.port.WorkerModels.Report(
                    w, "tiny", true, true, "fp32", null, 12L, java.time.Instant.now())));
    Farm f = Farm.run("models", "list", "--farm", "--api", api);
    assertEquals(0, f.exitCode(), f.err());
    assertTrue(f.out().contains("tiny  renderable"), f.out());
    assertTrue(f.out().contains(w), f.out());
  }

  @Test
  void jobsListAndAResumableDownloadOfABatch() throws Exception {
    Path file = dir.resolve("b.ndjson");
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      nd.append("{\"prompt\":\"dl ").append(i).append("\"}\n");
    }
    Files.writeString(file, nd);
    Farm sub = Farm.run("submit", "--api", api, "--batch", file.toString());
    assertEquals(0, sub.exitCode(), sub.err());
    String batch = sub.out().trim();
    ApiClient client = new ApiClient(api);
    List<String> ids = new java.util.ArrayList<>();
    client
        .get("/v1/batches/" + batch + "/jobs")
        .path("jobs")
        .forEach(j -> ids.add(j.path("id").asText()));
    assertEquals(6, ids.size());
    for (int i = 0; i < 6; i++) {
      String key = "results/" + ids.get(i) + "/1/0.png";
      objects.put(key, png(i), "image/png");
      Lease l = store.claim(UUID.fromString(ids.get(i)), "w", Duration.ofMinutes(1)).orElseThrow();
      // even jobs carry bytes and sha256 as workers record them now, odd ones are older results
      ResultImage image =
          i % 2 == 0
              ? ResultImage.stored(key, 8, 8, i, png(i))
              : new ResultImage(key, 8, 8, i, null, null);
      assertTrue(store.succeed(l, new JobResult(List.of(image))));
    }

    Farm list = Farm.run("jobs", "list", "--api", api, "--batch", batch, "--limit", "4");
    assertEquals(0, list.exitCode(), list.err());
    assertEquals(4, list.out().trim().split("\n").length, list.out());
    assertTrue(list.out().contains(ids.get(5)), "newest first: " + list.out());

    Path out = dir.resolve("dl");
    Farm dl = Farm.run("download", "--api", api, "--batch", batch, "--out", out.toString());
    assertEquals(0, dl.exitCode(), dl.err());
    assertTrue(dl.err().contains("6 image(s) downloaded"), dl.err());
    assertEquals(6, Files.readAllLines(out.resolve("results.jsonl")).size());
    List<Path> images;
    try (Stream<Path> s = Files.list(out.resolve("images"))) {
      images = s.sorted().toList();
    }
    assertEquals(6, images.size());
    for (int i = 0; i < 6; i++) {
      assertTrue(
          images
              .get(i)
              .getFileName()
              .toString()
              .startsWith(String.format("%06d-%s", i, ids.get(i))));
      assertTrue(java.util.Arrays.equals(png(i), Files.readAllBytes(images.get(i))));
    }

    Files.delete(images.get(0));
    byte[] whole = Files.readAllBytes(images.get(1));
    Files.write(images.get(1), java.util.Arrays.copyOf(whole, whole.length / 2));
    Farm again = Farm.run("download", "--api", api, "--batch", batch, "--out", out.toString());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.err().contains("2 image(s) downloaded, 4 already there"), again.err());
    assertTrue(java.util.Arrays.equals(whole, Files.readAllBytes(images.get(1))));
  }

  @Test
  void downloadVerifiesSizeAndSha256AndRefetchesACorruptImage() throws Exception {
    Path file = dir.resolve("verify.ndjson");
    Files.writeString(file, "{\"prompt\":\"v0\"}\n{\"prompt\":\"v1\"}\n");
    Farm sub = Farm.run("submit", "--api", api, "--batch", file.toString());
    assertEquals(0, sub.exitCode(), sub.err());
    String batch = sub.out().trim();
    List<String> ids = new java.util.ArrayList<>();
    new ApiClient(api)
        .get("/v1/batches/" + batch + "/jobs")
        .path("jobs")
        .forEach(j -> ids.add(j.path("id").asText()));
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String key = "results/" + ids.get(i) + "/1/0.png";
      keys.add(key);
      objects.put(key, png(10 + i), "image/png");
      Lease l = store.claim(UUID.fromString(ids.get(i)), "w", Duration.ofMinutes(1)).orElseThrow();
      assertTrue(
          store.succeed(l, new JobResult(List.of(ResultImage.stored(key, 8, 8, i, png(10 + i))))));
    }
    Path out = dir.resolve("verified");
    Farm dl = Farm.run("download", "--api", api, "--batch", batch, "--out", out.toString());
    assertEquals(0, dl.exitCode(), dl.err());
    assertTrue(dl.err().contains("2 image(s) downloaded"), dl.err());
    Path first = out.resolve(String.format("images/%06d-%s-0.png", 0, ids.get(0)));
    Path second = out.resolve(String.format("images/%06d-%s-0.png", 1, ids.get(1)));

    // same length, whole PNG (signature and IEND intact), one byte of the data changed
    byte[] good = Files.readAllBytes(first);
    byte[] corrupt = good.clone();
    corrupt[good.length / 2] ^= 0x5a;
    Files.write(first, corrupt);
    assertTrue(ImageIntegrity.isWholePng(first), "the corruption passes the whole-PNG check");
    Farm resume = Farm.run("download", "--api", api, "--batch", batch, "--out", out.toString());
    assertEquals(0, resume.exitCode(), resume.err());
    assertTrue(resume.err().contains("1 image(s) downloaded, 1 already there"), resume.err());
    assertArrayEquals(good, Files.readAllBytes(first));

    // the served object no longer matches what the worker recorded: reported, not kept
    byte[] served = png(11);
    served[served.length / 2] ^= 0x5a;
    objects.put(keys.get(1), served, "image/png");
    Files.delete(second);
    Farm bad = Farm.run("download", "--api", api, "--batch", batch, "--out", out.toString());
    assertEquals(1, bad.exitCode(), bad.err());
    String name = String.format("images/%06d-%s-0.png", 1, ids.get(1));
    String digests = "expected SHA-256 " + Sha256.hex(png(11)) + ", got " + Sha256.hex(served);
    assertTrue(bad.err().contains("error: " + name + ": " + digests), bad.err());
    assertTrue(bad.err().contains("1 image(s) failed verification"), bad.err());
    assertFalse(Files.exists(second), "a mismatching image is not kept");
    assertFalse(Files.exists(second.resolveSibling(second.getFileName() + ".tmp")));
  }

  @Test
  void batchesListNewestFirstAndPagesWithBefore() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path file = dir.resolve("list-" + i + ".ndjson");
      Files.writeString(file, "{\"prompt\":\"a" + i + "\"}\n{\"prompt\":\"b" + i + "\"}\n");
      Farm sub = Farm.run("submit", "--api", api, "--batch", file.toString());
      assertEquals(0, sub.exitCode(), sub.err());
      ids.add(sub.out().trim());
    }
    Farm list = Farm.run("batches", "list", "--api", api, "--limit", "3");
    assertEquals(0, list.exitCode(), list.err());
    String[] lines = list.out().trim().split("\n");
    assertEquals(3, lines.length, list.out());
    for (int i = 0; i < 3; i++) {
      assertTrue(lines[i].startsWith(ids.get(2 - i)), "newest first: " + list.out());
      assertTrue(lines[i].contains("2 jobs") && lines[i].contains("queued=2"), lines[i]);
    }
    String middle = new ApiClient(api).get("/v1/batches/" + ids.get(1)).path("created_at").asText();
    Farm page = Farm.run("batches", "list", "--api", api, "--before", middle, "--limit", "1");
    assertEquals(0, page.exitCode(), page.err());
    assertTrue(page.out().trim().startsWith(ids.get(0)), page.out());
    assertEquals(1, page.out().trim().split("\n").length, page.out());

    Farm queued = Farm.run("batches", "list", "--api", api, "--status", "queued", "--limit", "2");
    assertEquals(0, queued.exitCode(), queued.err());
    assertTrue(queued.out().trim().startsWith(ids.get(2)), queued.out());
    assertTrue(queued.out().contains("queued "), queued.out());
    Farm none = Farm.run("batches", "list", "--api", api, "--status", "succeeded");
    assertEquals(0, none.exitCode(), none.err());
    ids.forEach(id -> assertFalse(none.out().contains(id), none.out()));

    Farm bad = Farm.run("batches", "list", "--api", api, "--before", "yesterday");
    assertTrue(bad.exitCode() != 0, bad.out());
    assertTrue(bad.err().contains("before"), bad.err());
  }
}
