package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.topic.JobEventMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventsRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String readEvent(BufferedReader in) throws Exception {
    StringBuilder sb = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (sb.toString().contains("event:")) {
          return sb.toString();
        }
        sb.setLength(0);
      } else {
        sb.append(line).append('\n');
      }
    }
    throw new AssertionError("stream ended");
  }

  @Test
  void batchStreamStartsWithSnapshotThenRelaysLiveEventsOfThatBatchOnly() throws Exception {
    var accepted =
        api.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"}]}").json();
    UUID batch = UUID.fromString(accepted.path("id").asText());
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(api.dispatcher.baseUrl() + "/v1/events?batch=" + batch))
            .build();
    HttpResponse<InputStream> resp = api.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    assertTrue(
        resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      String snapshot = readEvent(in);
      assertTrue(snapshot.startsWith("event: snapshot"), snapshot);
      assertTrue(snapshot.contains("\"queued\":2"), snapshot);
      Await.until(
          "subscribed", () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 1.0"));
      UUID job = UUID.randomUUID();
      api.events.emit(
          new JobEventMessage(
              "progress",
              job,
              UUID.randomUUID(),
              "default",
              JobStatus.RUNNING,
              new JobProgress("prior", 1, 20),
              null,
              "w",
              Instant.now()));
      api.events.emit(
          new JobEventMessage(
              "progress",
              job,
              batch,
              "other-tenant",
              JobStatus.RUNNING,
              new JobProgress("prior", 2, 20),
              null,
              "w",
              Instant.now()));
      api.events.emit(
          new JobEventMessage(
              "progress",
              job,
              batch,
              "default",
              JobStatus.RUNNING,
              new JobProgress("prior", 3, 20),
              null,
              "w",
              Instant.now()));
      String live = readEvent(in);
      assertTrue(live.startsWith("event: progress"), live);
      assertTrue(
          live.contains("\"step\":3"),
          "events of other batches and tenants are not relayed: " + live);
    }
  }

  @Test
  void unknownOrMissingTargetsAreJsonErrors() {
    assertEquals(404, api.get("/v1/events?job=" + UUID.randomUUID()).status());
    assertEquals(404, api.get("/v1/events?batch=nope").status());
    assertEquals(400, api.get("/v1/events").status());
    assertEquals(400, api.get("/v1/events?job=a&batch=b").status());
  }
}
