package io.cascadefarm.dispatcher.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.dispatcher.Await;
import io.cascadefarm.dispatcher.TestApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Connection and stream limits against slow or greedy clients (issue 15: 5, 6, 9). */
class ServerLimitsTest {

  /** True when the server closed {@code s} within {@code millis} while the client waited. */
  static boolean closedWithin(Socket s, long millis, byte[] drip) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    s.setSoTimeout(200);
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    while (System.currentTimeMillis() < deadline) {
      try {
        if (drip != null) {
          out.write(drip);
          out.flush();
        }
      } catch (IOException e) {
        return true;
      }
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aClientDrippingHeadersIsCutOff() throws Exception {
    try (TestApi api = new TestApi(Map.of("farm.http.header-timeout", "1s"));
        Socket s = new Socket("127.0.0.1", api.dispatcher.port())) {
      s.getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      // a byte every 200 ms keeps the idle timeout from firing; the header timeout must not care
      assertTrue(
          closedWithin(s, 8000, new byte[] {'a'}), "the slow client still holds the connection");
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosed() throws Exception {
    try (TestApi api = new TestApi(Map.of("farm.http.max-connections", "4"))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          held.add(new Socket("127.0.0.1", api.dispatcher.port()));
        }
        Await.until(
            "4 connections open",
            () -> api.dispatcher.metrics().scrape().contains("farm_http_connections 4.0"));
        try (Socket extra = new Socket("127.0.0.1", api.dispatcher.port())) {
          assertTrue(closedWithin(extra, 5000, null), "a fifth connection was kept");
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      Await.until(
          "the slots to free",
          () -> api.dispatcher.metrics().scrape().contains("farm_http_connections 0.0"));
      assertEquals(200, api.get("/healthz").status());
    }
  }

  @Test
  void oddMethodsCreateNoNewMetricSeries() {
    try (TestApi api = new TestApi()) {
      for (int i = 0; i < 60; i++) {
        api.send(
            "M" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(),
            "/v1/jobs",
            null);
        api.send("GET", "/nowhere/" + i, null);
      }
      Set<String> methods = new HashSet<>();
      Set<String> routes = new HashSet<>();
      Matcher m =
          Pattern.compile("farm_http_requests_seconds_count\\{([^}]*)}")
              .matcher(api.get("/metrics").text());
      while (m.find()) {
        Matcher t = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m.group(1));
        while (t.find()) {
          if (t.group(1).equals("method")) {
            methods.add(t.group(2));
          }
          if (t.group(1).equals("route")) {
            routes.add(t.group(2));
          }
          if (t.group(1).equals("status")) {
            assertTrue(t.group(2).matches("[1-5]xx"), t.group(2));
          }
        }
      }
      assertTrue(Set.of("GET", "POST", "other").containsAll(methods), methods.toString());
      assertTrue(routes.size() < 10, routes.toString());
    }
  }

  @Test
  void eventStreamsPerTenantAreCapped() throws Exception {
    try (TestApi api = new TestApi(Map.of("farm.api.max-streams-per-tenant", "2"))) {
      String job = api.post("/v1/jobs", "{\"prompt\":\"s\"}").json().path("id").asText();
      List<Socket> streams = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket s = new Socket("127.0.0.1", api.dispatcher.port());
          s.getOutputStream()
              .write(
                  ("GET /v1/events?job=" + job + " HTTP/1.1\r\nHost: x\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          streams.add(s);
        }
        Await.until(
            "2 streams open",
            () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 2.0"));
        TestApi.Answer third = api.get("/v1/events?job=" + job);
        assertEquals(429, third.status(), third.text());
        assertEquals(
            "job", third.json().path("error").path("fields").path(0).path("field").asText());
      } finally {
        for (Socket s : streams) {
          s.close();
        }
      }
      Await.until(
          "the streams to close",
          () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 0.0"));
      // the slots are free again
      RawHttp.Reply r =
          RawHttp.send(
              api.dispatcher.port(), "GET /v1/jobs/" + job + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, r.status());
    }
  }

  @Test
  void aClientThatDoesNotReadIsDroppedWithAnOverflowEvent() throws Exception {
    try (TestApi api = new TestApi()) {
      String batch =
          api.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"a\"}]}").json().path("id").asText();
      try (Socket s = new Socket("127.0.0.1", api.dispatcher.port())) {
        s.setReceiveBufferSize(4096);
        s.getOutputStream()
            .write(
                ("GET /v1/events?batch=" + batch + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        Await.until(
            "the stream to open",
            () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 1.0"));
        Thread.sleep(300); // the snapshot is written
        String big = "x".repeat(2000);
        long before = DispatcherMemory.allocated();
        for (int i = 0;
            i < 20_000 && api.dispatcher.metrics().scrape().contains("farm_sse_streams 1.0");
            i++) {
          api.events.emit(
              new JobEventMessage(
                  JobEventMessage.STATUS,
                  UUID.randomUUID(),
                  UUID.fromString(batch),
                  "default",
                  JobStatus.FAILED,
                  null,
                  new JobError("e", big, false),
                  "w",
                  Instant.now()));
        }
        Await.until(
            "the slow client to be dropped",
            () -> api.dispatcher.metrics().scrape().contains("farm_sse_streams 0.0"));
        long took = DispatcherMemory.allocated() - before;
        assertTrue(took < 512L << 20, "allocated " + took);
        s.setSoTimeout(5000);
        String head = new String(s.getInputStream().readNBytes(200_000), StandardCharsets.UTF_8);
        assertTrue(
            head.contains("event: snapshot"), head.substring(0, Math.min(300, head.length())));
      }
    }
  }
}
