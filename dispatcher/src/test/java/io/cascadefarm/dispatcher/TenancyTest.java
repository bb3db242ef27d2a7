package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.ResultImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher acts for the tenant its resolver names on every route: another tenant's job or
 * batch is 404 (not 403), and a refused request is 401. The resolver here trusts a test header.
 */
class TenancyTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi(Map.of(), r -> r.getHeader("X-Test-Tenant"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static TestApi.Answer as(String tenant, String method, String path, String body) {
    return api.send(
        method,
        path,
        body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "X-Test-Tenant",
        tenant);
  }

  @Test
  void anotherTenantsIdsAre404AndNoTenantIs401() {
    String job = as("a", "POST", "/v1/jobs", "{\"prompt\":\"mine\"}").json().path("id").asText();
    String batch =
        as("a", "POST", "/v1/batches", "{\"jobs\":[{\"prompt\":\"mine\"}]}")
            .json()
            .path("id")
            .asText();
    UUID id = UUID.fromString(job);
    api.store.move(id, JobEvent.CLAIM, null, null);
    api.store.move(
        id,
        JobEvent.SUCCEED,
        new JobResult(List.of(new ResultImage("k.png", 64, 64, 1, null, null))),
        null);
    assertEquals(200, as("a", "GET", "/v1/jobs/" + job, null).status());
    for (String[] r :
        new String[][] {
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
        }) {
      assertEquals(404, as("b", r[0], r[1], null).status(), r[0] + " " + r[1]);
    }
    assertEquals(401, api.get("/v1/batches/" + batch + "/jobs").status());
    TestApi.Answer none = api.post("/v1/jobs", "{\"prompt\":\"x\"}");
    assertEquals(401, none.status());
    assertEquals(
        "Authorization", none.json().path("error").path("fields").path(0).path("field").asText());
    assertEquals(401, api.send("POST", "/v1/uploads", new byte[] {1, 2, 3}).status());
  }
}
