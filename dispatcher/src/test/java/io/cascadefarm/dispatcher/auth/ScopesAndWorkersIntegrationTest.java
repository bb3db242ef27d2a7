package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.Scopes;
import io.cascadefarm.common.port.WorkerHeartbeat;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.TestServices;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API key scopes (issue 13) on the real embedded PostgreSQL, Kafka and S3: a key without {@code
 * submit} cannot submit, one without {@code read} cannot read, only {@code admin} sees the workers
 * registry (every live worker with its devices, models and current jobs) and every tenant's queues,
 * and {@code admin} never shows another tenant's jobs or batches.
 */
class ScopesAndWorkersIntegrationTest {
  static Dispatcher dispatcher;
  static Database db;
  static AuthClient client;
  static final String TENANT_A = "scopes-a-" + UUID.randomUUID();
  static final String TENANT_B = "scopes-b-" + UUID.randomUUID();

  @BeforeAll
  static void start() {
    DispatcherConfig config =
        RealFarm.config(
            TestServices.endpoints(),
            Map.of(
                "farm.kafka.job-partitions", "1",
                "farm.auth.enabled", "true",
                "farm.auth.key-cache-ttl", "0s"));
    db = Database.create(config.db());
    db.migrate();
    dispatcher = Dispatchers.fromConfig(config);
    dispatcher.start();
    client = new AuthClient(dispatcher.baseUrl());
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

  static String key(String tenant, String scopes) {
    String secret = ApiKeySecrets.generate();
    ApiKey k = db.jobStore().createKey(tenant, "scopes", ApiKeySecrets.sha256Hex(secret));
    if (scopes != null) {
      db.keyScopes().setScopes(k.id(), Scopes.parse(scopes));
    }
    return secret;
  }

  static void assertForbidden(AuthClient.Answer a, String scope) {
    assertEquals(403, a.status(), a.text());
    JsonNode e = a.json().path("error");
    assertEquals("forbidden", e.path("code").asText(), a.text());
    assertEquals("Authorization", e.path("fields").path(0).path("field").asText(), a.text());
    assertTrue(e.path("message").asText().contains("'" + scope + "'"), a.text());
  }

  @Test
  void eachRouteNeedsItsScope() {
    String readOnly = key(TENANT_A, "read");
    String submitOnly = key(TENANT_A, "submit");
    String legacy = key(TENANT_A, null); // made as before scopes existed: submit and read
    String body = "{\"prompt\":\"scoped\"}";

    assertForbidden(client.send(readOnly, "POST", "/v1/jobs", body), "submit");
    AuthClient.Answer made = client.send(submitOnly, "POST", "/v1/jobs", body);
    assertEquals(202, made.status(), made.text());
    String job = made.json().path("id").asText();
    assertForbidden(client.get(submitOnly, "/v1/jobs/" + job), "read");
    assertEquals(200, client.get(readOnly, "/v1/jobs/" + job).status());
    assertEquals(200, client.get(legacy, "/v1/jobs/" + job).status());
    assertEquals(202, client.send(legacy, "POST", "/v1/jobs", body).status());

    for (String k : List.of(readOnly, submitOnly, legacy)) {
      assertForbidden(client.get(k, "/v1/workers"), "admin");
      assertForbidden(client.get(k, "/v1/admin/queues"), "admin");
      assertForbidden(client.send(k, "POST", "/v1/workers/any/drain", (byte[]) null), "admin");
    }
  }

  @Test
  void adminSeesEveryLiveWorkerButOnlyItsOwnTenantsJobs() {
    String adminA = key(TENANT_A, "submit,read,admin");
    String adminB = key(TENANT_B, "submit,read,admin");
    UUID current = UUID.randomUUID();
    String id = "scopes-worker-" + UUID.randomUUID();
    db.workers()
        .heartbeat(
            new WorkerHeartbeat(
                id,
                "host-1",
                4242,
                List.of("cuda:0 NVIDIA H100"),
                "fp16",
                List.of("lite"),
                true,
                "ok",
                List.of(current),
                7,
                1,
                0,
                "active",
                null,
                Instant.now()));

    AuthClient.Answer list = client.get(adminA, "/v1/workers");
    assertEquals(200, list.status(), list.text());
    JsonNode w = null;
    for (JsonNode n : list.json().path("workers")) {
      if (n.path("id").asText().equals(id)) {
        w = n;
      }
    }
    assertTrue(w != null, list.text());
    assertEquals("active", w.path("state").asText());
    assertEquals("cuda:0 NVIDIA H100", w.path("devices").path(0).asText());
    assertEquals("lite", w.path("models").path(0).asText());
    assertEquals(current.toString(), w.path("current_jobs").path(0).asText());
    assertEquals(7, w.path("succeeded").asLong());

    AuthClient.Answer drain =
        client.send(adminA, "POST", "/v1/workers/" + id + "/drain", (byte[]) null);
    assertEquals(200, drain.status(), drain.text());
    assertTrue(drain.json().path("drained").asBoolean(), drain.text());
    AuthClient.Answer unknown =
        client.send(adminA, "POST", "/v1/workers/no-such-worker/release", (byte[]) null);
    assertEquals(404, unknown.status(), unknown.text());

    // admin widens nothing across tenants
    AuthClient.Answer made =
        client.send(adminA, "POST", "/v1/batches", "{\"jobs\":[{\"prompt\":\"a's\"}]}");
    assertEquals(202, made.status(), made.text());
    String batch = made.json().path("id").asText();
    assertEquals(404, client.get(adminB, "/v1/batches/" + batch).status());
    AuthClient.Answer mine = client.get(adminB, "/v1/batches");
    assertEquals(200, mine.status(), mine.text());
    assertTrue(!mine.text().contains(batch), mine.text());
    assertTrue(client.get(adminA, "/v1/batches").text().contains(batch));
  }
}
