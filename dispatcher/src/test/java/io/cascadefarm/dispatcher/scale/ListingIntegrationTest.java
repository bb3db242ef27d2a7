package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs} (newest first, keyset cursors, filters by status, batch, label and created
 * range), labels and priority from a batch envelope, and the queue estimate of a queued job, on the
 * real embedded services.
 */
class ListingIntegrationTest {
  static ScaleFarm farm;

  @BeforeAll
  static void start() {
    farm = new ScaleFarm(Map.of());
  }

  @AfterAll
  static void stop() {
    if (farm != null) {
      farm.close();
    }
  }

  static String submit(String key, String body) {
    ScaleFarm.Answer a = farm.send(key, "POST", "/v1/jobs", body);
    assertEquals(202, a.status(), a.text());
    return a.json().path("id").asText();
  }

  static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("jobs").forEach(j -> out.add(j.path("id").asText()));
    return out;
  }

  @Test
  void jobsAreListedNewestFirstAcrossPagesAndFiltered() throws Exception {
    String key = farm.newKey();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(
          submit(
              key,
              "{\"prompt\":\"p"
                  + i
                  + "\",\"labels\":{\"run\":\""
                  + (i % 2 == 0 ? "even" : "odd")
                  + "\",\"team\":\"x\"}}"));
    }
    Instant mid = Instant.now();
    ScaleFarm.Answer b =
        farm.send(
            key,
            "POST",
            "/v1/batches",
            "{\"labels\":{\"team\":\"y\"},\"priority\":\"low\",\"jobs\":[{\"prompt\":\"b0\"},"
                + "{\"prompt\":\"b1\",\"labels\":{\"team\":\"z\"}}]}");
    assertEquals(202, b.status(), b.text());
    String batch = b.json().path("id").asText();
    List<String> batchJobs = farm.jobIds(key, batch);
    all.addAll(batchJobs);
    farm.succeed(all.get(0), "results/" + all.get(0) + "/1/0.png", 3);

    List<String> seen = new ArrayList<>();
    String after = "";
    int pages = 0;
    while (after != null) {
      ScaleFarm.Answer page = farm.get(key, "/v1/jobs?limit=3" + after);
      assertEquals(200, page.status(), page.text());
      seen.addAll(ids(page.json()));
      after = page.json().hasNonNull("next") ? "&after=" + page.json().path("next").asText() : null;
      pages++;
    }
    List<String> newestFirst = new ArrayList<>(all);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen, "every job once, newest first");
    assertEquals(3, pages);

    assertEquals(
        List.of(all.get(4), all.get(2), all.get(0)),
        ids(farm.get(key, "/v1/jobs?label=run:even").json()));
    assertEquals(
        List.of(all.get(3)),
        ids(farm.get(key, "/v1/jobs?label=run:odd&label=team:x&limit=1").json()));
    assertEquals(
        List.of(batchJobs.get(0)),
        ids(farm.get(key, "/v1/jobs?label=team:y").json()),
        "the batch's labels, under the job's own");
    assertEquals(List.of(all.get(0)), ids(farm.get(key, "/v1/jobs?status=succeeded").json()));
    assertEquals(
        List.of(batchJobs.get(1), batchJobs.get(0)),
        ids(farm.get(key, "/v1/jobs?batch=" + batch).json()));
    assertEquals(
        List.of(batchJobs.get(1), batchJobs.get(0)),
        ids(farm.get(key, "/v1/jobs?created_after=" + mid).json()));
    assertEquals(5, ids(farm.get(key, "/v1/jobs?created_before=" + mid).json()).size());
    JsonNode low = farm.get(key, "/v1/jobs/" + batchJobs.get(0)).json();
    assertEquals("low", low.path("params").path("priority").asText(), "the batch's priority");
    assertTrue(
        ids(farm.get(farm.newKey(), "/v1/jobs").json()).isEmpty(), "tenants see only theirs");
  }

  static String batch(String key, String labels) {
    ScaleFarm.Answer b =
        farm.send(
            key,
            "POST",
            "/v1/batches",
            "{\"labels\":" + labels + ",\"jobs\":[{\"prompt\":\"a\"}]}");
    assertEquals(202, b.status(), b.text());
    return b.json().path("id").asText();
  }

  static List<String> batchIds(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("batches").forEach(b -> out.add(b.path("id").asText()));
    return out;
  }

  @Test
  void batchesAreListedNewestFirstAcrossPagesAndFilteredByStatusAndLabel() {
    String key = farm.newKey();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(batch(key, "{\"run\":\"" + (i % 2 == 0 ? "even" : "odd") + "\",\"team\":\"x\"}"));
    }
    String done = farm.jobIds(key, all.get(1)).get(0);
    farm.succeed(done, "results/" + done + "/1/0.png", 1);

    List<String> seen = new ArrayList<>();
    String before = "";
    int pages = 0;
    while (before != null) {
      ScaleFarm.Answer page = farm.get(key, "/v1/batches?limit=2" + before);
      assertEquals(200, page.status(), page.text());
      seen.addAll(batchIds(page.json()));
      before =
          page.json().hasNonNull("next") ? "&before=" + page.json().path("next").asText() : null;
      pages++;
    }
    List<String> newestFirst = new ArrayList<>(all);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen, "every batch once, newest first");
    assertEquals(3, pages);

    assertEquals(
        List.of(all.get(4), all.get(2), all.get(0)),
        batchIds(farm.get(key, "/v1/batches?label=run:even").json()));
    assertEquals(
        List.of(all.get(3)),
        batchIds(farm.get(key, "/v1/batches?label=run:odd&label=team:x&limit=1").json()));
    JsonNode succeeded = farm.get(key, "/v1/batches?status=succeeded").json();
    assertEquals(List.of(all.get(1)), batchIds(succeeded));
    assertEquals("succeeded", succeeded.path("batches").path(0).path("status").asText());
    assertEquals("x", succeeded.path("batches").path(0).path("labels").path("team").asText());
    assertEquals(4, batchIds(farm.get(key, "/v1/batches?status=queued").json()).size());
    JsonNode newest = farm.get(key, "/v1/batches?limit=1").json().path("batches").path(0);
    String instant = newest.path("created_at").asText();
    assertEquals(
        newestFirst.subList(1, 5),
        batchIds(farm.get(key, "/v1/batches?before=" + instant).json()),
        "an instant as before: strictly older batches");
    assertTrue(
        batchIds(farm.get(farm.newKey(), "/v1/batches").json()).isEmpty(),
        "tenants see only theirs");
    for (String[] c :
        new String[][] {
          {"status=lost", "status"},
          {"label=nocolon", "label"},
          {"limit=0", "limit"},
          {"before=%21%21", "before"}
        }) {
      ScaleFarm.Answer a = farm.get(key, "/v1/batches?" + c[0]);
      assertEquals(400, a.status(), c[0] + ": " + a.text());
      assertEquals(
          c[1], a.json().path("error").path("fields").path(0).path("field").asText(), a.text());
    }
  }

  @Test
  void everyRouteOfADispatcherOnPostgresqlIsInTheOpenApiDocument() {
    JsonNode paths = farm.get(farm.newKey(), "/openapi.json").json().path("paths");
    List<String> routes = farm.dispatcher.routes();
    assertTrue(
        routes.contains("GET /v1/jobs") && routes.contains("GET /v1/models"), routes.toString());
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
      String path = route.substring(route.indexOf(' ') + 1);
      assertTrue(paths.path(path).has(method), route + " is not in /openapi.json");
    }
  }

  @Test
  void badListingQueriesAre400sNamingTheParameter() {
    String key = farm.newKey();
    for (String[] c :
        new String[][] {
          {"status=lost", "status"},
          {"batch=nope", "batch"},
          {"label=nocolon", "label"},
          {"created_after=yesterday", "created_after"},
          {"created_before=2026-13-01", "created_before"},
          {"limit=0", "limit"},
          {"limit=1001", "limit"},
          {"after=%21%21", "after"}
        }) {
      ScaleFarm.Answer a = farm.get(key, "/v1/jobs?" + c[0]);
      assertEquals(400, a.status(), c[0] + ": " + a.text());
      assertEquals(
          c[1], a.json().path("error").path("fields").path(0).path("field").asText(), a.text());
    }
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      many.append("&label=k").append(i).append(":v");
    }
    assertEquals(400, farm.get(key, "/v1/jobs?x=1" + many).status());
  }

  @Test
  void aQueuedJobHasAQueuePositionAndAHighJobIsAheadOfEarlierNormalOnes() {
    String key = farm.newKey();
    String normal = submit(key, "{\"prompt\":\"normal\"}");
    String high = submit(key, "{\"prompt\":\"high\",\"priority\":\"high\"}");
    JsonNode n = farm.get(key, "/v1/jobs/" + normal).json();
    JsonNode h = farm.get(key, "/v1/jobs/" + high).json();
    assertTrue(n.path("queue_position").isNumber(), n.toString());
    assertTrue(h.path("queue_position").isNumber(), h.toString());
    assertTrue(
        h.path("queue_position").asLong() < n.path("queue_position").asLong(),
        "high " + h.path("queue_position") + " runs before normal " + n.path("queue_position"));
    farm.succeed(normal, "results/" + normal + "/1/0.png", 1);
    JsonNode done = farm.get(key, "/v1/jobs/" + normal).json();
    assertFalse(done.has("queue_position"), "only queued jobs have an estimate");
    // the ETA divides by a throughput cached for 10 s: absent while none was seen, else >= 1
    JsonNode later = farm.get(key, "/v1/jobs/" + high).json();
    assertTrue(
        !later.has("eta_seconds") || later.path("eta_seconds").asLong() >= 1, later.toString());
  }
}
