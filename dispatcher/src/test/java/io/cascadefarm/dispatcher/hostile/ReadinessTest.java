package io.cascadefarm.dispatcher.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.DispatcherPorts;
import io.cascadefarm.dispatcher.fakes.MemoryObjectStore;
import io.cascadefarm.dispatcher.fakes.RecordingPublisher;
import io.cascadefarm.dispatcher.ops.ReadinessProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * /readyz follows the documented degraded modes and says nothing of the failure's text; a bug in
 * the store is a 500, not a "retry later" 503 (issue 15: 7, 16).
 */
class ReadinessTest {
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(Dispatcher d, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(d.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOptionalDependencyDownIsDegradedNotUnreadyAndNoExceptionTextLeaks() throws Exception {
    InMemoryJobStore store = new InMemoryJobStore();
    AtomicBoolean kafkaDown = new AtomicBoolean(true);
    ReadinessProbe kafka =
        new ReadinessProbe() {
          @Override
          public String name() {
            return "kafka";
          }

          @Override
          public boolean required() {
            return false;
          }

          @Override
          public void check() {
            if (kafkaDown.get()) {
              throw new IllegalStateException(
                  "secret-host.internal:9092 refused, password=hunter2");
            }
          }
        };
    DispatcherConfig config =
        DispatcherConfig.from(
            ConfigSource.of(Map.of("farm.http.port", "0", "farm.http.host", "127.0.0.1")));
    try (Dispatcher d =
        new Dispatcher(
            config,
            DispatcherPorts.of(store, new MemoryObjectStore(), new RecordingPublisher())
                .withProbe(kafka))) {
      d.start();
      HttpResponse<String> r = get(d, "/readyz");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"kafka\":\"unavailable\""), r.body());
      assertFalse(r.body().contains("secret-host") || r.body().contains("hunter2"), r.body());
      store.down.set(true);
      HttpResponse<String> down = get(d, "/readyz");
      assertEquals(503, down.statusCode(), down.body());
      assertFalse(down.body().contains("simulated"), down.body());
    }
  }

  @Test
  void aBugInTheStoreIsNotA503() throws Exception {
    InMemoryJobStore store =
        new InMemoryJobStore() {
          @Override
          public synchronized java.util.Optional<io.cascadefarm.common.job.Job> find(
              UUID id, String tenant) {
            throw new NullPointerException("a bug");
          }
        };
    DispatcherConfig config =
        DispatcherConfig.from(
            ConfigSource.of(Map.of("farm.http.port", "0", "farm.http.host", "127.0.0.1")));
    try (Dispatcher d =
        new Dispatcher(
            config, DispatcherPorts.of(store, new MemoryObjectStore(), new RecordingPublisher()))) {
      d.start();
      HttpResponse<String> r = get(d, "/v1/jobs/" + UUID.randomUUID());
      assertEquals(500, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"internal\""), r.body());
      assertTrue(r.headers().firstValue("Retry-After").isEmpty());
    }
  }
}
