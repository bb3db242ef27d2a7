package io.cascadefarm.dispatcher.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.DispatcherPorts;
import io.cascadefarm.dispatcher.fakes.MemoryObjectStore;
import io.cascadefarm.dispatcher.fakes.RecordingPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An object store that hangs (drops packets instead of refusing) holds only the uploads' own pool:
 * status reads, submits and API-key lookups go on (issue 15, finding 10).
 */
class SlowObjectStoreTest {
  static final class Hanging implements ObjectStore {
    final MemoryObjectStore inner = new MemoryObjectStore();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void put(String key, byte[] data, String contentType) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inner.put(key, data, contentType);
    }

    @Override
    public Optional<byte[]> get(String key) {
      return inner.get(key);
    }

    @Override
    public boolean exists(String key) {
      return inner.exists(key);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
      return inner.presignGet(key, ttl);
    }

    @Override
    public List<String> list(String prefix) {
      return inner.list(prefix);
    }

    @Override
    public void delete(String key) {
      inner.delete(key);
    }
  }

  @Test
  void hangingUploadsDoNotStarveOtherRequests() throws Exception {
    Hanging objects = new Hanging();
    DispatcherConfig config =
        DispatcherConfig.from(
            ConfigSource.of(Map.of("farm.http.port", "0", "farm.http.host", "127.0.0.1")));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (Dispatcher d =
        new Dispatcher(
            config,
            DispatcherPorts.of(new InMemoryJobStore(), objects, new RecordingPublisher()))) {
      d.start();
      byte[] png =
          io.cascadefarm.codec.image.ImageCodec.encodePng(
              new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB));
      List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        uploads.add(
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(d.baseUrl() + "/v1/uploads"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      Thread.sleep(1000); // the uploads now hold their pool
      long start = System.nanoTime();
      HttpResponse<String> submit =
          http.send(
              HttpRequest.newBuilder(URI.create(d.baseUrl() + "/v1/jobs"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"still here\"}"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, submit.statusCode(), submit.body());
      String id =
          io.cascadefarm.common.json.Json.mapper().readTree(submit.body()).path("id").asText();
      HttpResponse<String> read =
          http.send(
              HttpRequest.newBuilder(URI.create(d.baseUrl() + "/v1/jobs/" + id))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, read.statusCode(), read.body());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 5000, "took " + ms + " ms while 40 uploads hung");
      objects.release.countDown();
      for (CompletableFuture<HttpResponse<String>> u : uploads) {
        assertEquals(201, u.get(30, TimeUnit.SECONDS).statusCode());
      }
    }
  }
}
