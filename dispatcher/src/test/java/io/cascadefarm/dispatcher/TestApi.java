package io.cascadefarm.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.fakes.ManualEventSource;
import io.cascadefarm.dispatcher.fakes.MemoryObjectStore;
import io.cascadefarm.dispatcher.fakes.RecordingPublisher;
import io.cascadefarm.dispatcher.http.TenantResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A dispatcher on a free port over in-memory fakes, plus a small HTTP client for tests. */
public final class TestApi implements AutoCloseable {
  public final InMemoryJobStore store = new InMemoryJobStore();
  public final MemoryObjectStore objects = new MemoryObjectStore();
  public final RecordingPublisher publisher = new RecordingPublisher();
  public final ManualEventSource events = new ManualEventSource();
  public final Dispatcher dispatcher;
  public final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TestApi() {
    this(Map.of());
  }

  public TestApi(Map<String, String> settings) {
    this(settings, TenantResolver.single(TenantResolver.DEFAULT_TENANT));
  }

  public TestApi(Map<String, String> settings, TenantResolver tenants) {
    Map<String, String> s =
        new HashMap<>(
            Map.of(
                "farm.http.port",
                "0",
                "farm.http.host",
                "127.0.0.1",
                "farm.outbox.interval",
                "50ms",
                "farm.reaper.interval",
                "100ms"));
    s.putAll(settings);
    DispatcherConfig config = DispatcherConfig.from(ConfigSource.of(s));
    dispatcher =
        new Dispatcher(
            config,
            DispatcherPorts.of(store, objects, publisher).withEvents(events).withTenants(tenants));
    dispatcher.start();
  }

  /** An answer: status, headers, body text and (when JSON) the parsed body. */
  public record Answer(int status, HttpResponse<byte[]> raw) {
    public String text() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return Json.mapper().readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Answer send(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  public Answer post(String path, String json, String... headers) {
    return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
  }

  @Override
  public void close() {
    dispatcher.close();
  }
}
