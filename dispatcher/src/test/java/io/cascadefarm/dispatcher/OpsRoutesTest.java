package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void everyRouteIsInTheOpenApiDocument() {
    JsonNode doc = api.get("/openapi.json").json();
    assertTrue(doc.path("openapi").asText().startsWith("3."), doc.path("openapi").toString());
    JsonNode paths = doc.path("paths");
    assertTrue(api.dispatcher.routes().size() >= 16, api.dispatcher.routes().toString());
    for (String route : api.dispatcher.routes()) {
      String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
      String path = route.substring(route.indexOf(' ') + 1);
      assertTrue(paths.path(path).has(method), route + " is not in /openapi.json");
    }
  }

  @Test
  void healthReadyAndMetrics() {
    assertEquals("ok", api.get("/healthz").json().path("status").asText());
    JsonNode ready = api.get("/readyz").json();
    assertEquals("ready", ready.path("status").asText());
    assertEquals("ok", ready.path("checks").path("db").asText());
    api.post("/v1/jobs", "{\"prompt\":\"m\"}");
    api.post("/v1/jobs", "{\"width\":3}");
    Await.until("outbox drained", () -> api.store.outboxSize() == 0);
    TestApi.Answer m = api.get("/metrics");
    assertEquals(200, m.status());
    String text = m.text();
    for (String name :
        new String[] {
          "farm_http_requests_seconds_count",
          "farm_http_rejected_total{reason=\"invalid_request\"}",
          "farm_jobs_accepted_total",
          "farm_outbox_published_total",
          "farm_outbox_lag_seconds",
          "farm_outbox_pending",
          "farm_reaper_actions_total",
          "farm_sse_streams"
        }) {
      assertTrue(text.contains(name), name + " missing from /metrics");
    }
    assertTrue(text.contains("route=\"/v1/jobs\""), "requests are labelled by route template");
  }
}
