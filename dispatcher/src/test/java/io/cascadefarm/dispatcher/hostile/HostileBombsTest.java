package io.cascadefarm.dispatcher.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.TestApi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bombs of issue 15, each checked on memory as well as on the answer: a request must be
 * answered 4xx naming its field while the dispatcher's threads allocate at most a bounded amount
 * (measured with the JVM's per-thread allocation counters).
 */
class HostileBombsTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** Sends and returns the bytes the dispatcher allocated to answer it. */
  static long allocatedFor(Runnable request) {
    long before = DispatcherMemory.allocated();
    request.run();
    return DispatcherMemory.allocated() - before;
  }

  static void refusedNaming(TestApi.Answer a, int status, String field) {
    assertEquals(status, a.status(), a.text());
    assertEquals(field, a.json().path("error").path("fields").path(0).path("field").asText());
  }

  @Test
  void imageAllocationBombsAreRefusedFromTheHeaderOfEveryFormat() {
    byte[][] bombs = {
      HostileFiles.pngAllocationBomb(), // 8192x4882 16-bit RGBA: 320 MB to decode, ~80 bytes
      HostileFiles.png(6000, 6000, 16, 2), // 16-bit RGB: 216 MB
      HostileFiles.jpeg(8000, 5000, 3, false, 1), // 120 MB raster, 40 MP
      HostileFiles.jpeg(6000, 6000, 3, true, 1), // progressive: + coefficients
      HostileFiles.jpeg(16, 16, 3, true, 2000), // scan bomb
      HostileFiles.webp(6000, 6000) // 144 MB of ARGB
    };
    for (byte[] bomb : bombs) {
      TestApi.Answer[] a = new TestApi.Answer[1];
      long took = allocatedFor(() -> a[0] = api.send("POST", "/v1/uploads", bomb));
      refusedNaming(a[0], 400, "body");
      assertTrue(took < 32 << 20, "allocated " + took + " bytes for " + a[0].text());
    }
  }

  /** LoRAs are checked with the workers' reader rules, train_tokens included (findings 3, 12). */
  @Test
  void loRAsTheWorkersCannotReadAreRefusedAtUpload() {
    String look = "{\"train_tokens\":\"[[\\\"[x]\\\", \\\"a(?=b)\\\"]]\"}";
    String huge = "{\"train_tokens\":\"[[\\\"[x]\\\", \\\"((a{50}){50})\\\"]]\"}";
    Object[][] cases = {
      {HostileFiles.loraI8(), "I8"},
      {HostileFiles.loraOverflow(), "too large"},
      {HostileFiles.lora(look), "train_tokens[0] regex"},
      {HostileFiles.lora(huge), "train_tokens[0] regex"},
      {HostileFiles.lora("{\"train_tokens\":\"not json\"}"), "train_tokens"}
    };
    for (Object[] c : cases) {
      TestApi.Answer a = api.send("POST", "/v1/loras?name=bad", (byte[]) c[0]);
      refusedNaming(a, 400, "body");
      assertTrue(a.text().contains((String) c[1]), a.text());
    }
    assertEquals(201, api.send("POST", "/v1/loras?name=ok", HostileFiles.loraRegexBomb()).status());
  }

  @Test
  void aBodyOfBlankLinesIsCountedNotListed() {
    int mib = 64;
    byte[] body = new byte[mib << 20];
    Arrays.fill(body, (byte) '\n');
    byte[] job = "{\"prompt\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(job, 0, body, body.length - job.length, job.length);
    TestApi.Answer[] a = new TestApi.Answer[1];
    long took =
        allocatedFor(
            () ->
                a[0] =
                    api.send("POST", "/v1/batches", body, "Content-Type", "application/x-ndjson"));
    refusedNaming(a[0], 400, "body");
    assertTrue(a[0].text().contains("blank lines"), a[0].text());
    // the chunks are copied once as they arrive; the old reader padded 67 M list entries (> 1 GB)
    assertTrue(took < 2L * body.length, "allocated " + took + " bytes for a " + mib + " MiB body");

    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 100_001; i++) {
      many.append("{}\n");
    }
    TestApi.Answer tooMany =
        api.send(
            "POST",
            "/v1/batches",
            many.toString().getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-ndjson");
    refusedNaming(tooMany, 400, "body");
    assertTrue(tooMany.text().contains("at most 100000 jobs"), tooMany.text());
  }

  /**
   * Raw malformed HTTP, odd methods on every route and cheap-to-send size-heavy requests: never
   * 5xx, every 4xx body names a field, and the lot costs the dispatcher bounded allocation.
   */
  @Test
  void malformedHttpOddMethodsAndSizeHeavyRequestsOnEveryRoute() throws Exception {
    int port = api.dispatcher.port();
    String id = java.util.UUID.randomUUID().toString();
    List<String> requests = new java.util.ArrayList<>();
    for (String r :
        new String[] {
          "GARBAGE\r\n\r\n",
          "GET\r\n\r\n",
          "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
          "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
          "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{}",
          "POST /v1/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{}",
          "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
          "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
          "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n",
          "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
          "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n"
              + "[".repeat(200_000),
        }) {
      requests.add(r);
    }
    String jobsArray = "{\"jobs\":[" + "1,".repeat(299_999) + "1]}";
    requests.add(
        "POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + jobsArray.length()
            + "\r\n\r\n"
            + jobsArray);
    String[] paths = {
      "/v1/jobs",
      "/v1/jobs/" + id,
      "/v1/jobs/" + id + "/image",
      "/v1/jobs/" + id + "/cancel",
      "/v1/jobs/" + id + "/retry",
      "/v1/batches",
      "/v1/batches/" + id,
      "/v1/batches/" + id + "/jobs",
      "/v1/batches/" + id + "/cancel",
      "/v1/batches/" + id + "/retry",
      "/v1/uploads",
      "/v1/loras",
      "/v1/events?job=" + id,
      "/healthz",
      "/readyz",
      "/metrics",
      "/openapi.json",
      "/nowhere"
    };
    for (String p : paths) {
      for (String m :
          new String[] {"PUT", "DELETE", "PATCH", "OPTIONS", "BREW", "M" + "X".repeat(60)}) {
        requests.add(m + " " + p + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
      }
    }
    long before = DispatcherMemory.allocated();
    List<String> bad = new java.util.ArrayList<>();
    for (String r : requests) {
      RawHttp.Reply reply = RawHttp.send(port, r);
      String what = r.substring(0, Math.min(60, r.length())).replace("\r\n", "|");
      if (reply.status() >= 500) {
        bad.add(what + " -> " + reply.text());
      } else if (reply.status() >= 400 && !reply.body().isEmpty()) {
        JsonNode f = Json.mapper().readTree(reply.body()).path("error").path("fields").path(0);
        if (f.path("field").asText().isBlank()) {
          bad.add(what + " -> " + reply.status() + " names no field: " + reply.body());
        }
      }
    }
    long took = DispatcherMemory.allocated() - before;
    assertTrue(bad.isEmpty(), String.join("\n", bad));
    assertTrue(
        took < 256L << 20, "allocated " + took + " bytes for " + requests.size() + " requests");
  }

  @Test
  void aRequestWithoutHostIsA400NamingIt() throws Exception {
    int port = api.dispatcher.port();
    for (String r :
        new String[] {
          "GET /v1/jobs/x HTTP/1.1\r\n\r\n",
          "GET /healthz HTTP/1.1\r\n\r\n",
          "POST /v1/jobs HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
          "GET /nowhere HTTP/1.0\r\n\r\n"
        }) {
      RawHttp.Reply reply = RawHttp.send(port, r);
      assertEquals(400, reply.status(), reply.text());
      JsonNode e = Json.mapper().readTree(reply.body());
      assertEquals("Host", e.path("error").path("fields").path(0).path("field").asText());
    }
  }

  /** What {@code curl -s --data-binary @photo.png localhost:8080/v1/uploads} sends. */
  @Test
  void curlsDefaultFormContentTypeUploadsTheImage() throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(32, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
    byte[] png = io.cascadefarm.codec.image.ImageCodec.encodePng(img);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(
        ("POST /v1/uploads HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\nContent-Length: "
                + png.length
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    req.writeBytes(png);
    RawHttp.Reply reply = RawHttp.send(api.dispatcher.port(), req.toByteArray());
    assertEquals(201, reply.status(), reply.text());
    assertTrue(
        Json.mapper()
            .readTree(reply.body())
            .path("image")
            .asText()
            .matches("uploads/[0-9a-f]{64}\\.png"),
        reply.text());
  }
}
