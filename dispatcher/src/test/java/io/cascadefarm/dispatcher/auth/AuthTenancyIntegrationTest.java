package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.TestServices;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher wired by {@link Dispatchers} with authentication on, on the real embedded
 * PostgreSQL, Kafka and S3: keys made through the store, two tenants kept apart on every route,
 * revoked and missing keys refused, the queued-jobs quota and the submit rate answered 429, and
 * presigned URLs with the configured lifetime.
 */
class AuthTenancyIntegrationTest {
  static Dispatcher dispatcher;
  static Database db;
  static JdbcJobStore store;
  static AuthClient client;
  static String keyA;
  static String keyB;

  @BeforeAll
  static void start() {
    DispatcherConfig config =
        RealFarm.config(
            TestServices.endpoints(),
            Map.of(
                "farm.kafka.job-partitions", "1",
                "farm.auth.enabled", "true",
                // revocation must show at once in this test
                "farm.auth.key-cache-ttl", "0s",
                "farm.tenant.max-queued-jobs", "25",
                "farm.tenant.submit-rate", "0.01",
                "farm.tenant.submit-burst", "20",
                "farm.s3.presign-ttl", "15m",
                "farm.jobs.max-attempts", "1",
                "farm.reaper.interval", "200ms"));
    db = Database.create(config.db());
    db.migrate();
    store = db.jobStore();
    dispatcher = Dispatchers.fromConfig(config);
    dispatcher.start();
    client = new AuthClient(dispatcher.baseUrl());
    keyA = newKey("tenant-a-" + UUID.randomUUID());
    keyB = newKey("tenant-b-" + UUID.randomUUID());
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static String newKey(String tenant) {
    String secret = ApiKeySecrets.generate();
    store.createKey(tenant, "test", ApiKeySecrets.sha256Hex(secret));
    return secret;
  }

  static String submitJob(String key) {
    AuthClient.Answer a = client.send(key, "POST", "/v1/jobs", "{\"prompt\":\"mine\"}");
    assertEquals(202, a.status(), a.text());
    return a.json().path("id").asText();
  }

  static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    img.setRGB(3, 4, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void anotherTenantGets404OnEveryRouteAndTheOwnerSeesUrlsWithTheConfiguredLifetime() {
    String job = submitJob(keyA);
    String batch =
        client
            .send(
                keyA,
                "POST",
                "/v1/batches",
                "{\"jobs\":[{\"prompt\":\"one\"},{\"prompt\":\"two\"}]}")
            .json()
            .path("id")
            .asText();
    Lease lease = store.claim(UUID.fromString(job), "w", Duration.ofMinutes(1)).orElseThrow();
    assertTrue(
        store.succeed(
            lease,
            new JobResult(List.of(new ResultImage("results/x/0.png", 64, 64, 7, null, null)))));
    String[][] routes = {
      {"GET", "/v1/jobs/" + job},
      {"GET", "/v1/jobs/" + job + "/image"},
      {"POST", "/v1/jobs/" + job + "/cancel"},
      {"POST", "/v1/jobs/" + job + "/retry"},
      {"GET", "/v1/batches/" + batch},
      {"GET", "/v1/batches/" + batch + "/jobs"},
      {"POST", "/v1/batches/" + batch + "/cancel"},
      {"POST", "/v1/batches/" + batch + "/retry"},
      {"GET", "/v1/events?job=" + job},
      {"GET", "/v1/events?batch=" + batch}
    };
    for (String[] r : routes) {
      AuthClient.Answer a = client.send(keyB, r[0], r[1], (byte[]) null);
      assertEquals(404, a.status(), r[0] + " " + r[1] + " " + a.text());
      assertEquals("not_found", a.json().path("error").path("code").asText());
    }
    // nothing was changed by B: A's batch still has both jobs queued
    AuthClient.Answer counts = client.get(keyA, "/v1/batches/" + batch);
    assertEquals(2, counts.json().path("counts").path("queued").asInt(), counts.text());
    AuthClient.Answer mine = client.get(keyA, "/v1/jobs/" + job);
    assertEquals(200, mine.status());
    String url = mine.json().path("result").path("images").path(0).path("url").asText();
    assertTrue(url.contains("X-Amz-Expires=900"), url);
    AuthClient.Answer image = client.get(keyA, "/v1/jobs/" + job + "/image");
    assertEquals(302, image.status(), image.text());
    assertTrue(image.header("Location").contains("X-Amz-Expires=900"), image.header("Location"));
  }

  @Test
  void missingMalformedUnknownAndRevokedKeysAre401WithAChallenge() {
    AuthClient.Answer none = client.send(null, "POST", "/v1/jobs", "{\"prompt\":\"x\"}");
    assertEquals(401, none.status());
    assertEquals("Bearer realm=\"cascade-farm\"", none.header("WWW-Authenticate"));
    assertEquals(
        "Authorization", none.json().path("error").path("fields").path(0).path("field").asText());
    AuthClient.Answer basic =
        client.send(
            null, "GET", "/v1/jobs/" + UUID.randomUUID(), null, "Authorization", "Basic eDp5");
    assertEquals(401, basic.status());
    assertTrue(basic.header("WWW-Authenticate").contains("invalid_token"));
    assertEquals(401, client.get("cf_not-a-real-key", "/v1/batches/" + UUID.randomUUID()).status());
    assertEquals(401, client.send(null, "POST", "/v1/uploads", new byte[] {1, 2}).status());

    String tenant = "revoked-" + UUID.randomUUID();
    String secret = ApiKeySecrets.generate();
    UUID id = store.createKey(tenant, "soon gone", ApiKeySecrets.sha256Hex(secret)).id();
    String job = submitJob(secret);
    assertTrue(store.revokeKey(id));
    AuthClient.Answer revoked = client.get(secret, "/v1/jobs/" + job);
    assertEquals(401, revoked.status(), revoked.text());
    assertEquals("unauthorized", revoked.json().path("error").path("code").asText());
  }

  @Test
  void opsRoutesStayOpenAndUploadsWorkWithAKey() throws Exception {
    for (String p : new String[] {"/healthz", "/metrics", "/openapi.json"}) {
      assertEquals(200, client.get(null, p).status(), p);
    }
    assertTrue(client.get(null, "/readyz").status() != 401);
    AuthClient.Answer up = client.send(keyA, "POST", "/v1/uploads", png());
    assertEquals(201, up.status(), up.text());
    assertTrue(up.json().path("image").asText().startsWith("uploads/"));
  }

  @Test
  void theQueuedJobsQuotaAnswers429NamingTheLimit() {
    String key = newKey("quota-" + UUID.randomUUID());
    StringBuilder jobs = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < 25; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"prompt\":\"q").append(i).append("\"}");
    }
    AuthClient.Answer full = client.send(key, "POST", "/v1/batches", jobs.append("]}").toString());
    assertEquals(202, full.status(), full.text());
    AuthClient.Answer over = client.send(key, "POST", "/v1/jobs", "{\"prompt\":\"one more\"}");
    assertEquals(429, over.status(), over.text());
    assertEquals("quota_exceeded", over.json().path("error").path("code").asText());
    assertEquals(
        "farm.tenant.max-queued-jobs",
        over.json().path("error").path("fields").path(0).path("field").asText());
    assertNotNull(over.header("Retry-After"));
    // another tenant is not affected
    submitJob(keyB);
  }

  @Test
  void theSubmitRateCountsJobsAndAnswers429WithRetryAfter() {
    String key = newKey("rate-" + UUID.randomUUID());
    StringBuilder jobs = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < 20; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"prompt\":\"r").append(i).append("\"}");
    }
    assertEquals(
        202, client.send(key, "POST", "/v1/batches", jobs.append("]}").toString()).status());
    AuthClient.Answer limited = client.send(key, "POST", "/v1/jobs", "{\"prompt\":\"too fast\"}");
    assertEquals(429, limited.status(), limited.text());
    assertEquals("rate_limited", limited.json().path("error").path("code").asText());
    assertEquals(
        "farm.tenant.submit-rate",
        limited.json().path("error").path("fields").path(0).path("field").asText());
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    String metrics = client.get(null, "/metrics").text();
    assertTrue(metrics.contains("farm_http_rejected_total{reason=\"rate_limited\"}"), metrics);
  }

  @Test
  void aLeaseThatExpiresOnTheLastAttemptIsCountedAsFailed() {
    String job = submitJob(keyA);
    store.claim(UUID.fromString(job), "dead-worker", Duration.ofMillis(1)).orElseThrow();
    io.cascadefarm.dispatcher.Await.until(
        "failed by the reaper",
        () -> client.get(keyA, "/v1/jobs/" + job).json().path("status").asText().equals("failed"));
    io.cascadefarm.dispatcher.Await.until(
        "expiry metric",
        () ->
            client
                .get(null, "/metrics")
                .text()
                .matches("(?s).*farm_lease_expiries_total\\{outcome=\"failed\"} [1-9].*"));
  }

  @Test
  void brokenNdjsonLinesAreNamedAndNothingIsHalfAcceptedUnlessPartial() {
    String tenant = "ndjson-" + UUID.randomUUID();
    String key = ApiKeySecrets.generate();
    store.createKey(tenant, "t", ApiKeySecrets.sha256Hex(key));
    String body =
        "{\"prompt\":\"ok\"}\n{\"prompt\":\"x\",\"width\":-8}\n{\"prompt\n{\"prompt\":\"ok2\"}\n";
    AuthClient.Answer all =
        client.send(
            key,
            "POST",
            "/v1/batches",
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-ndjson");
    assertEquals(400, all.status(), all.text());
    java.util.Set<Integer> lines = new java.util.TreeSet<>();
    all.json().path("error").path("fields").forEach(f -> lines.add(f.path("line").asInt()));
    assertEquals(java.util.Set.of(2, 3), lines, all.text());
    assertEquals(0, store.unfinishedJobs(tenant), "nothing stored");
    AuthClient.Answer partial =
        client.send(
            key,
            "POST",
            "/v1/batches?partial=true",
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-ndjson");
    assertEquals(202, partial.status(), partial.text());
    assertEquals(2, partial.json().path("job_count").asInt());
    assertEquals(2, partial.json().path("rejected_count").asInt());
    assertEquals(2, store.unfinishedJobs(tenant));
  }

  @Test
  void keyLookupsWorkOnHttp11KeepAliveConnectionsWithAndWithoutBodies() throws Exception {
    AuthClient http1 =
        new AuthClient(dispatcher.baseUrl(), java.net.http.HttpClient.Version.HTTP_1_1);
    for (int i = 0; i < 5; i++) {
      AuthClient.Answer posted =
          http1.send(keyA, "POST", "/v1/jobs", "{\"prompt\":\"h1 " + i + "\"}");
      assertEquals(202, posted.status(), posted.text());
      String id = posted.json().path("id").asText();
      assertEquals(200, http1.get(keyA, "/v1/jobs/" + id).status());
      assertEquals(201, http1.send(keyA, "POST", "/v1/uploads", png()).status());
      assertEquals(401, http1.send(null, "POST", "/v1/uploads", png()).status());
      assertEquals(404, http1.get(keyB, "/v1/jobs/" + id).status());
    }
  }

  @Test
  void nulCharactersAnywhereAre400NotA5xxOnRealPostgres() {
    for (String body :
        new String[] {
          "{\"prompt\":\"a\\u0000b\"}",
          "{\"prompt\":\"a\",\"metadata\":{\"k\":\"v\\u0000\"}}",
          "{\"prompt\":\"a\",\"metadata\":{\"k\\u0000\":1}}",
          "{\"prompt\":\"a\",\"metadata\":{\"k\":[{\"deep\":\"\\u0000\"}]}}"
        }) {
      AuthClient.Answer a = client.send(keyA, "POST", "/v1/jobs", body);
      assertEquals(400, a.status(), body + " -> " + a.text());
      AuthClient.Answer b = client.send(keyA, "POST", "/v1/batches", "{\"jobs\":[" + body + "]}");
      assertEquals(400, b.status(), "batch " + body + " -> " + b.text());
      AuthClient.Answer c =
          client.send(
              keyA,
              "POST",
              "/v1/batches",
              "{\"metadata\":{\"x\":\"\\u0000\"},\"jobs\":[{\"prompt\":\"a\"}]}");
      assertEquals(400, c.status(), "batch metadata -> " + c.text());
    }
  }
}
