package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How clients get results, on the real embedded PostgreSQL, Kafka and S3: presigned URLs signed for
 * {@code farm.s3.public-endpoint} (a host other than the internal one) that work there; proxy mode
 * streaming the PNG through the API behind the API key; and {@code farm.results.ttl}: a result past
 * its tenant's lifetime is deleted from S3 while the job keeps its metadata and says {@code
 * expired}.
 */
class ResultDeliveryIntegrationTest {
  static ServiceEndpoints endpoints;
  static Database db;
  static JdbcJobStore store;
  static S3ObjectStore objects;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    endpoints = TestServices.endpoints();
    DispatcherConfig c = RealFarm.config(endpoints, Map.of());
    db = Database.create(c.db());
    db.migrate();
    store = db.jobStore();
    objects = S3ObjectStore.connect(c.s3());
  }

  @AfterAll
  static void stop() {
    if (objects != null) {
      objects.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** The same S3 server under the other loopback name: "public" to the farm's "internal". */
  static String otherName(String endpoint) {
    URI u = URI.create(endpoint);
    String host = u.getHost().equals("localhost") ? "127.0.0.1" : "localhost";
    return u.getScheme() + "://" + host + ":" + u.getPort();
  }

  static Dispatcher dispatcher(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(extra);
    m.put("farm.auth.enabled", "true");
    m.put("farm.auth.key-cache-ttl", "0s");
    Dispatcher d = Dispatchers.fromConfig(RealFarm.config(endpoints, m));
    d.start();
    return d;
  }

  static String newKey(String tenant) {
    String secret = ApiKeySecrets.generate();
    store.createKey(tenant, "test", ApiKeySecrets.sha256Hex(secret));
    return secret;
  }

  /** A succeeded job of the key's tenant whose one image is {@code png}, stored in S3. */
  static String succeededJob(AuthClient client, String key, byte[] png) {
    AuthClient.Answer a = client.send(key, "POST", "/v1/jobs", "{\"prompt\":\"result\"}");
    assertEquals(202, a.status(), a.text());
    String job = a.json().path("id").asText();
    Lease lease = store.claim(UUID.fromString(job), "w", Duration.ofMinutes(1)).orElseThrow();
    String k = "results/" + job + "/1/0.png";
    objects.put(k, png, "image/png");
    objects.put("results/" + job + "/0/0.png", png, "image/png"); // a dead attempt's leftover
    assertTrue(store.succeed(lease, new JobResult(List.of(ResultImage.stored(k, 16, 16, 7, png)))));
    return job;
  }

  static HttpResponse<byte[]> fetch(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void presignedUrlsPointAtThePublicEndpointAndWorkThere() throws Exception {
    String internal = endpoints.s3Endpoint();
    String publicEndpoint = otherName(internal);
    try (Dispatcher d = dispatcher(Map.of("farm.s3.public-endpoint", publicEndpoint))) {
      AuthClient client = new AuthClient(d.baseUrl());
      String key = newKey("public-" + UUID.randomUUID());
      byte[] png = AuthTenancyIntegrationTest.png();
      String job = succeededJob(client, key, png);

      String url =
          client
              .get(key, "/v1/jobs/" + job)
              .json()
              .path("result")
              .path("images")
              .path(0)
              .path("url")
              .asText();
      URI u = URI.create(url);
      assertEquals(URI.create(publicEndpoint).getHost(), u.getHost(), url);
      assertNotEquals(URI.create(internal).getHost(), u.getHost());
      HttpResponse<byte[]> got = fetch(url);
      assertEquals(200, got.statusCode(), new String(got.body()));
      assertArrayEquals(png, got.body());
      // the signature covers the host: the same URL on the internal name is refused
      String onInternal =
          url.replace("//" + u.getHost() + ":", "//" + URI.create(internal).getHost() + ":");
      assertEquals(403, fetch(onInternal).statusCode(), "a host swap must break the signature");

      AuthClient.Answer redirect = client.get(key, "/v1/jobs/" + job + "/image");
      assertEquals(302, redirect.status(), redirect.text());
      assertEquals(
          URI.create(publicEndpoint).getHost(), URI.create(redirect.header("Location")).getHost());
    }
  }

  @Test
  void proxyModeStreamsThePngThroughTheApiBehindTheKey() throws Exception {
    try (Dispatcher d = dispatcher(Map.of("farm.results.delivery", "proxy"))) {
      AuthClient client = new AuthClient(d.baseUrl());
      String key = newKey("proxy-" + UUID.randomUUID());
      String other = newKey("proxy-other-" + UUID.randomUUID());
      byte[] png = AuthTenancyIntegrationTest.png();
      String job = succeededJob(client, key, png);

      String url =
          client
              .get(key, "/v1/jobs/" + job)
              .json()
              .path("result")
              .path("images")
              .path(0)
              .path("url")
              .asText();
      assertEquals("/v1/jobs/" + job + "/images/0", url, "proxy mode hands out the API path");
      AuthClient.Answer image = client.get(key, url);
      assertEquals(200, image.status(), image.text());
      assertEquals("image/png", image.header("Content-Type"));
      assertArrayEquals(png, image.raw().body());

      assertEquals(401, client.get(null, url).status(), "no key, no image");
      assertEquals(401, client.get("cf_not-a-key", url).status());
      assertEquals(404, client.get(other, url).status(), "another tenant's image is not found");
      assertEquals(404, client.get(key, "/v1/jobs/" + job + "/images/1").status());
      assertEquals(400, client.get(key, "/v1/jobs/" + job + "/images/-1").status());

      AuthClient.Answer redirect = client.get(key, "/v1/jobs/" + job + "/image");
      assertEquals(302, redirect.status());
      assertEquals(url, redirect.header("Location"));
    }
  }

  @Test
  void resultsPastTheirTenantsTtlAreDeletedAndTheJobSaysExpired() throws Exception {
    String shortLived = "ttl-" + UUID.randomUUID();
    String kept = "keep-" + UUID.randomUUID();
    // only these tenants' results expire: other test classes share the database
    try (Dispatcher d =
        dispatcher(
            Map.of(
                "farm.results.tenant-ttl",
                shortLived + "=1s," + kept + "=0",
                "farm.results.sweep-interval",
                "200ms"))) {
      AuthClient client = new AuthClient(d.baseUrl());
      String key = newKey(shortLived);
      String keepKey = newKey(kept);
      byte[] png = AuthTenancyIntegrationTest.png();
      String job = succeededJob(client, key, png);
      String keptJob = succeededJob(client, keepKey, png);
      String object = "results/" + job + "/1/0.png";
      assertTrue(objects.exists(object));

      JsonNode view = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        view = client.get(key, "/v1/jobs/" + job).json();
        if (view.path("result").path("expired").asBoolean()) {
          break;
        }
        Thread.sleep(100);
      }
      JsonNode result = view.path("result");
      assertTrue(result.path("expired").asBoolean(), view.toString());
      assertTrue(result.hasNonNull("expired_at"), view.toString());
      assertEquals("succeeded", view.path("status").asText());
      JsonNode image = result.path("images").path(0);
      assertEquals(object, image.path("key").asText(), "metadata stays");
      assertEquals(16, image.path("width").asInt());
      assertFalse(image.hasNonNull("url"), "no URL to a deleted object: " + view);
      assertFalse(objects.exists(object), "the object is gone from S3");
      assertTrue(objects.list("results/" + job + "/").isEmpty(), "dead attempts' objects too");
      AuthClient.Answer gone = client.get(key, "/v1/jobs/" + job + "/image");
      assertEquals(410, gone.status(), gone.text());
      assertEquals("expired", gone.json().path("error").path("code").asText());
      assertEquals(410, client.get(key, "/v1/jobs/" + job + "/images/0").status());

      JsonNode keptView = client.get(keepKey, "/v1/jobs/" + keptJob).json();
      assertFalse(keptView.path("result").path("expired").asBoolean(), keptView.toString());
      assertTrue(objects.exists("results/" + keptJob + "/1/0.png"), "ttl 0 keeps for ever");
      assertTrue(d.metrics().scrape().contains("farm_results_expired_total"));
    }
  }
}
