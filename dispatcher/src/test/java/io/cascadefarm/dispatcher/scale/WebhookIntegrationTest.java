package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks end to end: jobs finished in PostgreSQL queue deliveries in their transition's
 * transaction, the dispatcher's sender POSTs them to a receiver on loopback, signed under the
 * Standard Webhooks scheme (verified here with an independent HMAC), retried after 5xx and
 * dead-lettered once {@code farm.webhooks.retry-for} is over.
 */
class WebhookIntegrationTest {
  static ScaleFarm farm;

  @BeforeAll
  static void start() {
    farm =
        new ScaleFarm(
            Map.of(
                "farm.webhooks.allow-private", "true",
                "farm.webhooks.interval", "50ms",
                "farm.webhooks.retry-backoff", "100ms",
                "farm.webhooks.retry-for", "4s"));
  }

  @AfterAll
  static void stop() {
    if (farm != null) {
      farm.close();
    }
  }

  /** Standard Webhooks verification: any v1 signature of id.timestamp.body under the secret. */
  static boolean verifies(String secret, WebhookReceiver.Hit hit) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
    String signed =
        hit.headers().get("webhook-id")
            + "."
            + hit.headers().get("webhook-timestamp")
            + "."
            + new String(hit.body(), StandardCharsets.UTF_8);
    String expected =
        Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    return Arrays.stream(hit.headers().get("webhook-signature").split(" "))
        .anyMatch(s -> s.equals("v1," + expected));
  }

  static JsonNode json(WebhookReceiver.Hit h) throws Exception {
    return Json.mapper().readTree(h.body());
  }

  @Test
  void aBatchWebhookGetsSignedJobSucceededAndBatchCompleted() throws Exception {
    String key = farm.newKey();
    try (WebhookReceiver rx = new WebhookReceiver(0)) {
      ScaleFarm.Answer a =
          farm.send(
              key,
              "POST",
              "/v1/batches",
              "{\"webhook_url\":\""
                  + rx.url("/hooks")
                  + "\",\"webhook_events\":[\"batch.completed\",\"job.succeeded\"],"
                  + "\"labels\":{\"team\":\"render\"},"
                  + "\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"}]}");
      assertEquals(202, a.status(), a.text());
      String batch = a.json().path("id").asText();
      List<String> jobs = farm.jobIds(key, batch);
      assertEquals(2, jobs.size());
      for (String j : jobs) {
        farm.succeed(j, "results/" + j + "/1/0.png", 5);
      }
      List<WebhookReceiver.Hit> hits = rx.await(3);
      assertEquals(3, hits.size(), "two job.succeeded and one batch.completed");
      String secret = farm.get(key, "/v1/webhooks/secret").json().path("secret").asText();
      assertTrue(secret.startsWith("whsec_"), secret);
      for (WebhookReceiver.Hit h : hits) {
        assertEquals("/hooks", h.path());
        assertTrue(verifies(secret, h), "signature verifies: " + h.headers());
        assertTrue(h.headers().get("webhook-id").startsWith("msg_"));
      }
      Map<String, List<JsonNode>> byType =
          hits.stream()
              .map(
                  h -> {
                    try {
                      return json(h);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .collect(Collectors.groupingBy(n -> n.path("type").asText()));
      assertEquals(2, byType.get("job.succeeded").size());
      assertEquals(
          Set.copyOf(jobs),
          byType.get("job.succeeded").stream()
              .map(n -> n.path("data").path("id").asText())
              .collect(Collectors.toSet()));
      JsonNode job = byType.get("job.succeeded").get(0).path("data");
      assertEquals("render", job.path("labels").path("team").asText(), "batch labels on jobs");
      assertTrue(
          job.path("result").path("images").path(0).path("url").asText().startsWith("http"),
          "fresh image URL: " + job);
      JsonNode done = byType.get("batch.completed").get(0).path("data");
      assertEquals(batch, done.path("id").asText());
      assertEquals(2, done.path("counts").path("succeeded").asInt(), done.toString());
      assertEquals(0, done.path("counts").path("queued").asInt());
      assertEquals("render", done.path("labels").path("team").asText());
    }
  }

  @Test
  void aReceiverAnswering500TwiceGetsTheEventOnceAsASuccessAfterTwoRetries() throws Exception {
    String key = farm.newKey();
    try (WebhookReceiver rx = new WebhookReceiver(2)) {
      ScaleFarm.Answer a =
          farm.send(
              key,
              "POST",
              "/v1/jobs",
              "{\"prompt\":\"retry me\",\"webhook_url\":\"" + rx.url("/r") + "\"}");
      assertEquals(202, a.status(), a.text());
      String job = a.json().path("id").asText();
      farm.succeed(job, "results/" + job + "/1/0.png", 9);
      List<WebhookReceiver.Hit> hits = rx.await(3);
      assertEquals(3, hits.size());
      assertEquals(
          List.of(500, 500, 200), hits.stream().map(WebhookReceiver.Hit::answered).toList());
      assertEquals(
          1,
          hits.stream().map(h -> h.headers().get("webhook-id")).distinct().count(),
          "one message: the same webhook-id on every attempt");
      ScaleFarm.Answer ok = awaitDelivery(key, "succeeded", 1);
      JsonNode d = ok.json().path("deliveries").path(0);
      assertEquals(3, d.path("attempts").asInt(), d.toString());
      assertEquals(200, d.path("last_status").asInt());
      assertEquals("job.succeeded", d.path("event").asText());
      assertEquals(job, d.path("job_id").asText());
      assertEquals(0, farm.get(key, "/v1/webhooks/deliveries").json().path("deliveries").size());
    }
  }

  @Test
  void aDeliveryStillFailingAfterRetryForIsDeadLetteredListedAndCanBeRedelivered()
      throws Exception {
    String key = farm.newKey();
    try (WebhookReceiver rx = new WebhookReceiver(Integer.MAX_VALUE)) {
      ScaleFarm.Answer a =
          farm.send(
              key,
              "POST",
              "/v1/jobs",
              "{\"prompt\":\"down\",\"webhook_url\":\""
                  + rx.url("/down")
                  + "\",\"webhook_events\":[\"job.cancelled\"]}");
      String job = a.json().path("id").asText();
      assertEquals(200, farm.send(key, "POST", "/v1/jobs/" + job + "/cancel", null).status());
      ScaleFarm.Answer failed = awaitDelivery(key, "failed", 1);
      JsonNode d = failed.json().path("deliveries").path(0);
      assertEquals("job.cancelled", d.path("event").asText());
      assertTrue(d.path("attempts").asInt() >= 2, "retried before dead-lettering: " + d);
      assertEquals(500, d.path("last_status").asInt());
      assertTrue(d.path("last_error").asText().contains("500"), d.toString());
      int seen = rx.hits().size();
      ScaleFarm.Answer again =
          farm.send(
              key, "POST", "/v1/webhooks/deliveries/" + d.path("id").asText() + "/redeliver", null);
      assertEquals(200, again.status(), again.text());
      assertEquals("pending", again.json().path("status").asText());
      assertTrue(rx.await(seen + 1).size() > seen, "sent again");
      assertEquals(
          404,
          farm.send(
                  farm.newKey(),
                  "POST",
                  "/v1/webhooks/deliveries/" + d.path("id").asText() + "/redeliver",
                  null)
              .status(),
          "another tenant's delivery is not found");
    }
  }

  @Test
  void onlyFailedDeliveriesAreRedelivered() throws Exception {
    String key = farm.newKey();
    try (WebhookReceiver rx = new WebhookReceiver(0)) {
      String job =
          farm.send(
                  key,
                  "POST",
                  "/v1/jobs",
                  "{\"prompt\":\"ok\",\"webhook_url\":\"" + rx.url("/ok") + "\"}")
              .json()
              .path("id")
              .asText();
      farm.succeed(job, "results/" + job + "/1/0.png", 1);
      String id =
          awaitDelivery(key, "succeeded", 1).json().path("deliveries").path(0).path("id").asText();
      ScaleFarm.Answer again =
          farm.send(key, "POST", "/v1/webhooks/deliveries/" + id + "/redeliver", null);
      assertEquals(409, again.status(), again.text());
      assertEquals(
          400, farm.send(key, "POST", "/v1/webhooks/deliveries/x/redeliver", null).status());
    }
  }

  @Test
  void afterARotationBothSecretsSignFor24Hours() throws Exception {
    String key = farm.newKey();
    String before = farm.get(key, "/v1/webhooks/secret").json().path("secret").asText();
    ScaleFarm.Answer r = farm.send(key, "POST", "/v1/webhooks/secret/rotate", null);
    assertEquals(200, r.status(), r.text());
    String after = r.json().path("secret").asText();
    assertNotEquals(before, after);
    assertEquals(before, r.json().path("previous_secret").asText());
    assertFalse(r.json().path("previous_valid_until").isMissingNode());
    try (WebhookReceiver rx = new WebhookReceiver(0)) {
      String job =
          farm.send(
                  key,
                  "POST",
                  "/v1/jobs",
                  "{\"prompt\":\"x\",\"webhook_url\":\"" + rx.url("/x") + "\"}")
              .json()
              .path("id")
              .asText();
      farm.succeed(job, "results/" + job + "/1/0.png", 1);
      WebhookReceiver.Hit h = rx.await(1).get(0);
      assertEquals(
          2, h.headers().get("webhook-signature").split(" ").length, h.headers().toString());
      assertTrue(verifies(after, h), "the new secret verifies");
      assertTrue(verifies(before, h), "the previous secret verifies during the overlap");
    }
  }

  @Test
  void badWebhookInputIsA400NamingTheField() {
    String key = farm.newKey();
    ScaleFarm.Answer a =
        farm.send(
            key, "POST", "/v1/jobs", "{\"prompt\":\"x\",\"webhook_url\":\"ftp://example.com/x\"}");
    assertEquals(400, a.status(), a.text());
    assertTrue(a.text().contains("webhook_url"), a.text());
    ScaleFarm.Answer b =
        farm.send(
            key,
            "POST",
            "/v1/jobs",
            "{\"prompt\":\"x\",\"webhook_url\":\"http://user:pw@127.0.0.1/x\"}");
    assertEquals(400, b.status(), b.text());
    assertTrue(b.text().contains("webhook_url"), b.text());
    ScaleFarm.Answer c = farm.get(key, "/v1/webhooks/deliveries?status=lost");
    assertEquals(400, c.status(), c.text());
    assertTrue(c.text().contains("status"), c.text());
  }

  /** Polls the deliveries of {@code status} until {@code n} are listed (at most 60 s). */
  static ScaleFarm.Answer awaitDelivery(String key, String status, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      ScaleFarm.Answer a = farm.get(key, "/v1/webhooks/deliveries?status=" + status);
      assertEquals(200, a.status(), a.text());
      if (a.json().path("deliveries").size() >= n || System.currentTimeMillis() > deadline) {
        assertEquals(n, a.json().path("deliveries").size(), a.text());
        return a;
      }
      Thread.sleep(100);
    }
  }
}
