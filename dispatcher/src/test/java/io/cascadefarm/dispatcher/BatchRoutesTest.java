package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchRoutesTest {
  static TestApi api;
  static final String NDJSON = "Content-Type";

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void jsonBatchWithDefaultsCountsAndPages() {
    TestApi.Answer a =
        api.post(
            "/v1/batches",
            "{\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\",\"width\":256},{\"prompt\":\"c\"}],"
                + "\"defaults\":{\"model\":\"tiny\",\"width\":128,\"height\":128},\"metadata\":{\"project\":\"p\"}}");
    assertEquals(202, a.status(), a.text());
    String id = a.json().path("id").asText();
    assertEquals(3, a.json().path("job_count").asInt());
    JsonNode b = api.get("/v1/batches/" + id).json();
    assertEquals(3, b.path("counts").path("queued").asInt());
    assertEquals(0, b.path("counts").path("failed").asInt());
    assertEquals("p", b.path("metadata").path("project").asText());
    JsonNode p1 = api.get("/v1/batches/" + id + "/jobs?limit=2").json();
    assertEquals(2, p1.path("jobs").size());
    assertEquals("tiny", p1.path("jobs").path(0).path("params").path("model").asText());
    assertEquals(128, p1.path("jobs").path(0).path("params").path("width").asInt());
    assertEquals(
        256,
        p1.path("jobs").path(1).path("params").path("width").asInt(),
        "job value beats default");
    JsonNode p2 =
        api.get("/v1/batches/" + id + "/jobs?limit=2&after=" + p1.path("next").asText()).json();
    assertEquals(1, p2.path("jobs").size());
    assertTrue(p2.path("next").isMissingNode(), p2.toString());
    Set<String> ids = new HashSet<>();
    p1.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
    p2.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
    assertEquals(3, ids.size());
    assertEquals(
        "c",
        p2.path("jobs").path(0).path("params").path("prompt").asText(),
        "pages keep submit order");
    assertEquals(400, api.get("/v1/batches/" + id + "/jobs?status=weird").status());
    assertEquals(400, api.get("/v1/batches/" + id + "/jobs?limit=0").status());
    assertEquals(400, api.get("/v1/batches/" + id + "/jobs?after=xyz").status());
    assertEquals(
        3, api.get("/v1/batches/" + id + "/jobs?status=queued").json().path("jobs").size());
    assertEquals(
        3, api.post("/v1/batches/" + id + "/cancel", null).json().path("cancelled").asInt());
    assertEquals(0, api.post("/v1/batches/" + id + "/retry", null).json().path("requeued").asInt());
    assertEquals(
        3,
        api.post("/v1/batches/" + id + "/retry?include_cancelled=true", null)
            .json()
            .path("requeued")
            .asInt());
  }

  @Test
  void invalidJobsAreListedByIndexAndNothingIsStored() {
    int before = api.store.outboxSize() + api.publisher.published.size();
    TestApi.Answer a =
        api.post(
            "/v1/batches",
            "{\"jobs\":[{\"prompt\":\"ok\"},{\"prompt\":\"x\",\"width\":100},{\"kind\":\"reconstruct\"},7]}");
    assertEquals(400, a.status());
    String f = JobRoutesTest.fields(a);
    assertTrue(f.contains("jobs[1].width: must be a multiple of 8"), f);
    assertTrue(f.contains("jobs[2].image: is required"), f);
    assertTrue(f.contains("jobs[3]: must be a job object"), f);
    assertFalse(f.contains("jobs[0]"), f);
    assertEquals(
        before, api.store.outboxSize() + api.publisher.published.size(), "nothing half-accepted");
  }

  @Test
  void ndjsonBrokenLinesAreReportedPerLineAndPartialAcceptsTheRest() {
    String body =
        "{\"prompt\":\"one\"}\n{\"prompt\": \"two\"\n\n{\"prompt\":\"four\",\"height\":12}\n{\"prompt\":\"five\"}\n";
    TestApi.Answer a = api.post("/v1/batches", body, NDJSON, "application/x-ndjson");
    assertEquals(400, a.status(), a.text());
    JsonNode fields = a.json().path("error").path("fields");
    Set<Integer> lines = new HashSet<>();
    fields.forEach(f -> lines.add(f.path("line").asInt()));
    assertEquals(Set.of(2, 4), lines, a.text());
    assertTrue(JobRoutesTest.fields(a).contains("lines[4].height"), a.text());
    TestApi.Answer p = api.post("/v1/batches?partial=true", body, NDJSON, "application/x-ndjson");
    assertEquals(202, p.status(), p.text());
    assertEquals(2, p.json().path("job_count").asInt());
    assertEquals(2, p.json().path("rejected_count").asInt());
    JsonNode jobs =
        api.get("/v1/batches/" + p.json().path("id").asText() + "/jobs").json().path("jobs");
    assertEquals("five", jobs.path(1).path("params").path("prompt").asText());
  }

  @Test
  void emptyAndOversizedBatchesAreRefused() {
    assertEquals(400, api.post("/v1/batches", "{\"jobs\":[]}").status());
    assertEquals(400, api.post("/v1/batches", "{}").status());
    assertEquals(400, api.post("/v1/batches", "", NDJSON, "application/x-ndjson").status());
    try (TestApi small =
        new TestApi(
            java.util.Map.of(
                "farm.api.max-jobs-per-batch", "2", "farm.api.max-body-bytes", "200"))) {
      TestApi.Answer many =
          small.post(
              "/v1/batches",
              "{\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"},{\"prompt\":\"c\"}]}");
      assertEquals(400, many.status());
      assertTrue(JobRoutesTest.fields(many).contains("jobs: at most 2 jobs"), many.text());
      TestApi.Answer big =
          small.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"" + "a".repeat(300) + "\"}]}");
      assertEquals(413, big.status());
      assertEquals("body", big.json().path("error").path("fields").path(0).path("field").asText());
    }
  }

  @Test
  void batchIdempotencyKeyReplaysAndConflicts() {
    String key = "batch-" + java.util.UUID.randomUUID();
    String body = "{\"jobs\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"}]}";
    TestApi.Answer first = api.post("/v1/batches", body, "Idempotency-Key", key);
    TestApi.Answer again = api.post("/v1/batches", body, "Idempotency-Key", key);
    TestApi.Answer other =
        api.post("/v1/batches", "{\"jobs\":[{\"prompt\":\"c\"}]}", "Idempotency-Key", key);
    assertEquals(202, first.status(), first.text());
    assertEquals(200, again.status(), again.text());
    assertEquals(first.json().path("id"), again.json().path("id"));
    assertEquals(2, again.json().path("job_count").asInt());
    assertEquals(409, other.status(), other.text());
    assertEquals(
        2,
        api.get("/v1/batches/" + first.json().path("id").asText() + "/jobs")
            .json()
            .path("jobs")
            .size(),
        "no duplicate jobs");
  }
}
