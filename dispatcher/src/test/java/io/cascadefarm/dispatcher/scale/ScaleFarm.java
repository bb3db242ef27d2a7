package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.auth.ApiKeySecrets;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A dispatcher from {@link Dispatchers} (API keys on) on the embedded services, with direct access
 * to the store (to finish jobs as a worker would) and S3 (to put their images).
 */
final class ScaleFarm implements AutoCloseable {
  final ServiceEndpoints endpoints = TestServices.endpoints();
  final Database db;
  final JdbcJobStore store;
  final S3ObjectStore objects;
  final Dispatcher dispatcher;
  final DispatcherConfig config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ScaleFarm(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(extra);
    m.put("farm.auth.enabled", "true");
    m.put("farm.auth.key-cache-ttl", "0s");
    DispatcherConfig c = RealFarm.config(endpoints, m);
    config = c;
    db = Database.create(c.db());
    db.migrate();
    store = db.jobStore();
    objects = S3ObjectStore.connect(c.s3());
    dispatcher = Dispatchers.fromConfig(c);
    dispatcher.start();
  }

  /** An API key of a fresh tenant. */
  String newKey() {
    String secret = ApiKeySecrets.generate();
    store.createKey("t-" + UUID.randomUUID(), "test", ApiKeySecrets.sha256Hex(secret));
    return secret;
  }

  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + text(), e);
      }
    }
  }

  Answer send(String key, String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String key, String path) {
    return send(key, "GET", path, null);
  }

  /** A streamed GET: the caller reads (and closes) the body. */
  HttpResponse<InputStream> stream(String key, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * Claims and succeeds job {@code id} as a worker would, with one image at {@code key} recorded
   * without length and digest (as results stored before workers recorded them).
   */
  void succeed(String id, String imageKey, long seed) {
    succeed(id, new ResultImage(imageKey, 16, 16, seed, null, null));
  }

  /** Claims and succeeds job {@code id} as a worker would, with {@code image}. */
  void succeed(String id, ResultImage image) {
    Lease lease = store.claim(UUID.fromString(id), "w-test", Duration.ofMinutes(1)).orElseThrow();
    assertTrue(store.succeed(lease, new JobResult(java.util.List.of(image))), "succeed " + id);
  }

  /** Every job id of a batch, in order. */
  java.util.List<String> jobIds(String key, String batch) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    String after = "";
    while (after != null) {
      Answer a = get(key, "/v1/batches/" + batch + "/jobs?limit=1000" + after);
      assertEquals(200, a.status(), a.text());
      a.json().path("jobs").forEach(j -> ids.add(j.path("id").asText()));
      after = a.json().hasNonNull("next") ? "&after=" + a.json().path("next").asText() : null;
    }
    return ids;
  }

  @Override
  public void close() {
    dispatcher.close();
    objects.close();
    db.close();
  }
}
