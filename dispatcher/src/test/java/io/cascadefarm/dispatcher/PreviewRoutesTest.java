package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.topic.JobEventMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/{id}/preview} (the latest preview's bytes, or a 404 naming {@code preview})
 * and the {@code preview} event's URL as the dispatcher relays it: presigned, or the API's route in
 * proxy mode.
 */
class PreviewRoutesTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  @Test
  void theRouteServesTheLatestPreviewOrSaysWhyThereIsNone() {
    try (TestApi api = new TestApi()) {
      String asked = submit(api, ",\"preview_every\":2");
      String plain = submit(api, "");

      TestApi.Answer notYet = api.get("/v1/jobs/" + asked + "/preview");
      assertEquals(404, notYet.status(), notYet.text());
      assertEquals(
          "preview", notYet.json().path("error").path("fields").path(0).path("field").asText());
      assertTrue(notYet.text().contains("no preview yet"), notYet.text());

      api.objects.put(LivePreview.key(UUID.fromString(asked)), PNG, "image/png");
      TestApi.Answer ok = api.get("/v1/jobs/" + asked + "/preview");
      assertEquals(200, ok.status());
      assertEquals("image/png", ok.header("Content-Type"));
      assertEquals("no-store", ok.header("Cache-Control"));
      assertArrayEquals(PNG, ok.raw().body());

      TestApi.Answer notAsked = api.get("/v1/jobs/" + plain + "/preview");
      assertEquals(404, notAsked.status());
      assertTrue(notAsked.text().contains("preview_every"), notAsked.text());
      TestApi.Answer unknown = api.get("/v1/jobs/" + UUID.randomUUID() + "/preview");
      assertEquals(404, unknown.status());
      assertEquals(
          "id", unknown.json().path("error").path("fields").path(0).path("field").asText());
    }
  }

  @Test
  void anotherTenantsPreviewIsNotFound() {
    try (TestApi api = new TestApi(Map.of(), r -> r.getHeader("X-Test-Tenant"))) {
      byte[] body = "{\"prompt\":\"p\",\"preview_every\":1}".getBytes(StandardCharsets.UTF_8);
      TestApi.Answer a = api.send("POST", "/v1/jobs", body, "X-Test-Tenant", "a");
      assertEquals(202, a.status(), a.text());
      String job = a.json().path("id").asText();
      api.objects.put(LivePreview.key(UUID.fromString(job)), PNG, "image/png");
      String path = "/v1/jobs/" + job + "/preview";
      assertEquals(200, api.send("GET", path, null, "X-Test-Tenant", "a").status());
      TestApi.Answer other = api.send("GET", path, null, "X-Test-Tenant", "b");
      assertEquals(404, other.status());
      assertEquals("id", other.json().path("error").path("fields").path(0).path("field").asText());
      assertEquals(401, api.get(path).status());
    }
  }

  @Test
  void aPreviewEventGetsAPresignedUrl() throws Exception {
    try (TestApi api = new TestApi()) {
      String job = submit(api, ",\"preview_every\":1");
      String event = relayedPreview(api, job);
      assertTrue(
          event.contains("\"url\":\"http://objects.test/farm/results/" + job + "/preview.png?ttl="),
          event);
      assertTrue(event.contains("\"step\":4"), event);
    }
  }

  @Test
  void inProxyModeAPreviewEventPointsAtTheApiRoute() throws Exception {
    try (TestApi api = new TestApi(Map.of("farm.results.delivery", "proxy"))) {
      String job = submit(api, ",\"preview_every\":1");
      String event = relayedPreview(api, job);
      assertTrue(event.contains("\"url\":\"/v1/jobs/" + job + "/preview\""), event);
    }
  }

  private static String submit(TestApi api, String extra) {
    TestApi.Answer a = api.post("/v1/jobs", "{\"prompt\":\"p\"" + extra + "}");
    assertEquals(202, a.status(), a.text());
    return a.json().path("id").asText();
  }

  /** Opens the job's event stream, emits a preview event, returns it as relayed. */
  private static String relayedPreview(TestApi api, String job) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(api.dispatcher.baseUrl() + "/v1/events?job=" + job))
            .build();
    HttpResponse<InputStream> resp = api.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      assertTrue(EventsRoutesTest.readEvent(in).startsWith("event: snapshot"));
      Await.until(
          "subscribed", () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 1.0"));
      UUID id = UUID.fromString(job);
      api.events.emit(
          new JobEventMessage(
              JobEventMessage.PREVIEW,
              id,
              null,
              "default",
              JobStatus.RUNNING,
              new JobProgress("prior", 4, 20),
              null,
              "w",
              Instant.now(),
              new LivePreview(4, 20, 48, 48, LivePreview.key(id), null)));
      String event = EventsRoutesTest.readEvent(in);
      assertTrue(event.startsWith("event: preview"), event);
      return event;
    }
  }
}
