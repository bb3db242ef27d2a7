package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.ResultImage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String fields(TestApi.Answer a) {
    StringBuilder sb = new StringBuilder();
    a.json()
        .path("error")
        .path("fields")
        .forEach(
            f ->
                sb.append(f.path("field").asText())
                    .append(": ")
                    .append(f.path("message").asText())
                    .append("\n"));
    return sb.toString();
  }

  @Test
  void submitAnswers202WithResolvedParamsAndReachesThePublisher() {
    TestApi.Answer a =
        api.post(
            "/v1/jobs", "{\"prompt\":\"a cat\",\"width\":512,\"height\":768,\"model\":\"tiny\"}");
    assertEquals(202, a.status(), a.text());
    JsonNode j = a.json();
    String id = j.path("id").asText();
    assertEquals("queued", j.path("status").asText());
    assertEquals("text_to_image", j.path("kind").asText());
    assertEquals(512, j.path("params").path("width").asInt());
    assertEquals(20, j.path("params").path("prior").path("steps").asInt());
    assertTrue(j.path("params").path("seed").isIntegralNumber(), "seed resolved: " + j);
    assertEquals("/v1/jobs/" + id, a.header("Location"));
    Await.until(
        "job published",
        () -> api.publisher.published.stream().anyMatch(m -> m.jobId().toString().equals(id)));
    TestApi.Answer g = api.get("/v1/jobs/" + id);
    assertEquals(200, g.status());
    assertEquals(
        j.path("params").path("seed").asLong(), g.json().path("params").path("seed").asLong());
  }

  @Test
  void idempotencyKeyReplaysSameBodyAndRejectsAnotherBody() {
    String key = "k-" + UUID.randomUUID();
    TestApi.Answer first = api.post("/v1/jobs", "{\"prompt\":\"x\"}", "Idempotency-Key", key);
    TestApi.Answer again = api.post("/v1/jobs", "{\"prompt\":\"x\"}", "Idempotency-Key", key);
    TestApi.Answer other = api.post("/v1/jobs", "{\"prompt\":\"y\"}", "Idempotency-Key", key);
    assertEquals(202, first.status());
    assertEquals(200, again.status());
    assertEquals(first.json().path("id"), again.json().path("id"));
    assertEquals(409, other.status());
    assertTrue(fields(other).contains("Idempotency-Key"), other.text());
  }

  @Test
  void everyBadFieldIsListed() {
    TestApi.Answer a =
        api.post(
            "/v1/jobs",
            "{\"prompt\":\"x\",\"width\":100,\"height\":-8,\"seed\":-1,\"images\":99,\"model\":\"huge\","
                + "\"kind\":\"paint\",\"prior\":{\"steps\":0,\"guidance\":\"high\"},\"colour\":1}");
    assertEquals(400, a.status());
    assertEquals("invalid_request", a.json().path("error").path("code").asText());
    String f = fields(a);
    for (String name :
        List.of(
            "width: must be a multiple of 8",
            "height: must be an integer between 64",
            "seed:",
            "images:",
            "model:",
            "kind:",
            "prior.steps:",
            "prior.guidance:",
            "colour: unknown field")) {
      assertTrue(f.contains(name), name + " missing in\n" + f);
    }
  }

  @Test
  void crossFieldRulesNameTheField() {
    TestApi.Answer a = api.post("/v1/jobs", "{\"kind\":\"image_to_image\",\"prompt\":\"x\"}");
    assertEquals(400, a.status());
    assertTrue(fields(a).contains("image: is required for kind image_to_image"), a.text());
    TestApi.Answer b =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"image_to_image\",\"image\":\"uploads/" + "a".repeat(64) + ".png\"}");
    assertTrue(fields(b).contains("image: no upload with key"), b.text());
    TestApi.Answer c = api.post("/v1/jobs", "{\"image\":\"uploads/../../etc/passwd\"}");
    assertEquals(400, c.status());
    assertTrue(fields(c).contains("image: must be an upload key"), c.text());
  }

  @Test
  void unknownAndMalformedIdsAre404() {
    for (String path :
        List.of(
            "/v1/jobs/" + UUID.randomUUID(),
            "/v1/jobs/not-a-uuid",
            "/v1/jobs/%00",
            "/v1/jobs/" + UUID.randomUUID() + "/image",
            "/v1/batches/zzz",
            "/v1/batches/" + UUID.randomUUID() + "/jobs")) {
      TestApi.Answer a = api.get(path);
      assertEquals(404, a.status(), path + " " + a.text());
      assertEquals("not_found", a.json().path("error").path("code").asText());
    }
    assertEquals(404, api.post("/v1/jobs/" + UUID.randomUUID() + "/cancel", null).status());
    assertEquals(404, api.post("/v1/jobs/nope/retry", null).status());
  }

  @Test
  void cancelRetryAndImageRedirect() {
    String id = api.post("/v1/jobs", "{\"prompt\":\"c\"}").json().path("id").asText();
    TestApi.Answer c = api.post("/v1/jobs/" + id + "/cancel", null);
    assertEquals(200, c.status(), c.text());
    assertEquals("cancelled", c.json().path("status").asText());
    assertEquals(0, api.post("/v1/jobs/" + id + "/retry", null).json().path("requeued").asInt());
    assertEquals(
        1,
        api.post("/v1/jobs/" + id + "/retry?include_cancelled=true", null)
            .json()
            .path("requeued")
            .asInt());
    assertEquals(400, api.post("/v1/jobs/" + id + "/retry?include_cancelled=maybe", null).status());
    TestApi.Answer noImage = api.get("/v1/jobs/" + id + "/image");
    assertEquals(409, noImage.status(), noImage.text());
    UUID uuid = UUID.fromString(id);
    api.store.move(uuid, JobEvent.CLAIM, null, null);
    api.store.move(
        uuid,
        JobEvent.SUCCEED,
        new JobResult(List.of(new ResultImage(id + "/1/0.png", 512, 512, 7, null, null))),
        null);
    TestApi.Answer img = api.get("/v1/jobs/" + id + "/image");
    assertEquals(302, img.status());
    assertEquals("http://objects.test/farm/" + id + "/1/0.png?ttl=3600", img.header("Location"));
    assertEquals(404, api.get("/v1/jobs/" + id + "/image?n=3").status());
    assertEquals(400, api.get("/v1/jobs/" + id + "/image?n=x").status());
    JsonNode done = api.get("/v1/jobs/" + id).json();
    assertEquals(
        "http://objects.test/farm/" + id + "/1/0.png?ttl=3600",
        done.path("result").path("images").path(0).path("url").asText());
    TestApi.Answer late = api.post("/v1/jobs/" + id + "/cancel", null);
    assertEquals(409, late.status());
    assertTrue(fields(late).contains("status: the job is succeeded"), late.text());
  }

  @Test
  void storeOutageIs503WithRetryAfterNever500() {
    api.store.down.set(true);
    try {
      for (TestApi.Answer a :
          List.of(
              api.post("/v1/jobs", "{\"prompt\":\"x\"}"),
              api.get("/v1/jobs/" + UUID.randomUUID()),
              api.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"x\"}]}"))) {
        assertEquals(503, a.status(), a.text());
        assertNotNull(a.header("Retry-After"));
        assertEquals("store_unavailable", a.json().path("error").path("code").asText());
      }
      assertEquals(503, api.get("/readyz").status());
    } finally {
      api.store.down.set(false);
    }
    assertEquals(200, api.get("/readyz").status());
  }

  @Test
  void routerLevelErrorsAreJson() {
    TestApi.Answer a = api.get("/v2/nothing");
    assertEquals(404, a.status());
    assertEquals("path", a.json().path("error").path("fields").path(0).path("field").asText());
    TestApi.Answer m = api.send("DELETE", "/v1/jobs", null);
    assertEquals(405, m.status(), m.text());
    assertNull(null);
  }
}
