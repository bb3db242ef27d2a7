package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose/k8s worker's filesystem layout, simulated with directories: the image (/opt/farm, the
 * worker-cpu class path assembled by the build), its DJL cache (/opt/djl-cache, filled at build
 * time) and HOME are read-only; /models is the writable models volume, empty on a fresh host; /tmp
 * is writable. A separate worker process with exactly that layout renders a {@code tiny} job end to
 * end, writes the tiny weights to models/.tiny-cache, and writes nothing into the read-only parts
 * (checked by snapshots, since root ignores file modes). This is the layout whose {@code :ro}
 * models mount made every README example fail.
 */
class WorkerMountLayoutTest {

  @Test
  void aWorkerWithTheContainerLayoutRendersTinyAndWritesOnlyToModels(@TempDir Path root)
      throws Exception {
    Path image = root.resolve("opt-farm");
    DeployImagesTest.assemble("worker-cpu", image);
    Path djlCache = root.resolve("opt-djl-cache");
    Path home = Files.createDirectories(root.resolve("home"));
    Path models = Files.createDirectories(root.resolve("models"));
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Map<String, String> base = new HashMap<>();
    base.put("DJL_CACHE_DIR", djlCache.toString());
    base.put("HOME", home.toString());
    // the image build's warm-up step: extracts libtorch into the (then read-only) cache
    Map<String, String> warm = new HashMap<>(base);
    DeployImagesTest.Run w =
        DeployImagesTest.run(image, warm, Duration.ofMinutes(3), "net", "engine-info");
    assertEquals(0, w.exit(), w.output());
    assertTrue(w.output().contains("flavor:") && w.output().contains("cpu"), w.output());

    Map<String, String> readOnlyBefore = snapshot(image, djlCache, home);

    ServiceEndpoints e = TestServices.endpoints();
    String prefix = "mnt-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> farm = new HashMap<>();
    e.toProperties().forEach((k, v) -> farm.put((String) k, (String) v));
    farm.put("farm.kafka.topic-prefix", prefix);
    farm.put("farm.kafka.job-partitions", "1");
    farm.put("farm.worker.group", prefix + "-workers");
    Map<String, String> dispatcherSettings = new HashMap<>(farm);
    dispatcherSettings.put("farm.http.port", "0");
    dispatcherSettings.put("farm.http.host", "127.0.0.1");
    dispatcherSettings.put("farm.auth.enabled", "false");
    dispatcherSettings.put("farm.outbox.interval", "100ms");
    try (Dispatcher d =
        Dispatchers.fromConfig(
            io.cascadefarm.common.config.DispatcherConfig.from(
                ConfigSource.of(dispatcherSettings)))) {
      d.start();
      Map<String, String> env = new HashMap<>(base);
      farm.forEach(
          (k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
      env.put("FARM_MODELS_DIR", models.toString());
      env.put("FARM_WORKER_METRICS_PORT", Integer.toString(freePort()));
      env.put("FARM_WORKER_BATCH_WAIT", "10ms");
      env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
      Process worker = DeployImagesTest.start(image, env, "worker");
      try {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> submitted =
            http.send(
                HttpRequest.newBuilder(URI.create(d.baseUrl() + "/v1/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\":\"a cat\",\"model\":\"tiny\",\"width\":64,\"height\":64,"
                                + "\"seed\":1}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, submitted.statusCode(), submitted.body());
        String id = Json.mapper().readTree(submitted.body()).path("id").asText();
        JsonNode job = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && worker.isAlive()) {
          job =
              Json.mapper()
                  .readTree(
                      http.send(
                              HttpRequest.newBuilder(URI.create(d.baseUrl() + "/v1/jobs/" + id))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body());
          String status = job.path("status").asText();
          if (status.equals("succeeded") || status.equals("failed")) {
            break;
          }
          Thread.sleep(500);
        }
        String log = Files.readString(image.resolveSibling(image.getFileName() + ".log"));
        assertEquals(
            "succeeded", job == null ? null : job.path("status").asText(), job + "\n" + log);
        assertEquals(64, job.path("result").path("images").path(0).path("width").asInt());
        assertTrue(
            Files.isDirectory(models.resolve(".tiny-cache")), "tiny writes models/.tiny-cache");
        try (Stream<Path> files = Files.walk(models.resolve(".tiny-cache"))) {
          assertTrue(files.anyMatch(Files::isRegularFile), "tiny weights were written");
        }
      } finally {
        worker.destroy();
        assertTrue(worker.waitFor(90, TimeUnit.SECONDS), "worker did not drain");
      }
      assertEquals(0, worker.exitValue(), "SIGTERM drains and exits 0");
    }
    assertEquals(
        readOnlyBefore, snapshot(image, djlCache, home), "the worker wrote into a read-only path");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** path -> size and modification time of every file and directory under the roots. */
  static Map<String, String> snapshot(Path... roots) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Path r : roots) {
      try (Stream<Path> s = Files.walk(r)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          out.put(
              p.toString(),
              (Files.isDirectory(p) ? "dir " : Files.size(p) + " ")
                  + Files.getLastModifiedTime(p).toMillis());
        }
      }
    }
    return out;
  }
}
