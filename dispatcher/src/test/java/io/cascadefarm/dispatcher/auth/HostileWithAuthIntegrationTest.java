package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.HostileAnswers;
import io.cascadefarm.dispatcher.JobBodyFields;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.TestServices;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input with authentication on and the real PostgreSQL behind the API (so what only the
 * database refuses, such as U+0000 in JSONB, is exercised): well over 1,000 requests with a valid
 * key, plus hostile Authorization headers; none may be answered 5xx and every 4xx names a field.
 */
class HostileWithAuthIntegrationTest {
  static Dispatcher dispatcher;
  static Database db;
  static AuthClient client;
  static String key;
  final HostileAnswers answers = new HostileAnswers();

  @BeforeAll
  static void start() {
    DispatcherConfig config =
        RealFarm.config(
            TestServices.endpoints(),
            Map.of("farm.kafka.job-partitions", "1", "farm.auth.enabled", "true"));
    db = Database.create(config.db());
    db.migrate();
    key = ApiKeySecrets.generate();
    db.jobStore().createKey("hostile-" + UUID.randomUUID(), "t", ApiKeySecrets.sha256Hex(key));
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

  void check(String what, AuthClient.Answer a) {
    answers.check(what, a.status(), a.raw().body());
  }

  void post(String what, String path, String body, String... headers) {
    check(what, client.send(key, "POST", path, body.getBytes(StandardCharsets.UTF_8), headers));
  }

  @Test
  void nothingAnswers5xxWithAuthOnAndEveryRejectionNamesAField() {
    for (String field : JobBodyFields.ALL) {
      for (String bad : HostileAnswers.BAD_VALUES) {
        String job = "{\"prompt\":\"p\",\"" + field + "\":" + bad + "}";
        post("job " + job, "/v1/jobs", job);
        post("batch " + job, "/v1/batches", "{\"jobs\":[{\"prompt\":\"ok\"}," + job + "]}");
        post(
            "ndjson " + job,
            "/v1/batches",
            "{\"prompt\":\"ok\"}\n" + job + "\n",
            "Content-Type",
            "application/x-ndjson");
        post("partial " + job, "/v1/batches?partial=true", "{\"jobs\":[" + job + "]}");
      }
    }
    post("batch metadata NUL", "/v1/batches", "{\"metadata\":{\"a\\u0000\":1},\"jobs\":[{}]}");
    post("10 MB prompt", "/v1/jobs", "{\"prompt\":\"" + "x".repeat(10 << 20) + "\"}");
    post(
        "deep",
        "/v1/jobs",
        "{\"metadata\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}");
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + rnd.nextInt(500)];
      rnd.nextBytes(junk);
      check("junk upload " + i, client.send(key, "POST", "/v1/uploads", junk));
      check("junk job " + i, client.send(key, "POST", "/v1/jobs", junk));
    }
    String[] authHeaders = {
      "", "Bearer", "Bearer ", "Bearer " + "A".repeat(10_000), "Bearer cf_\u00e9\u00e8",
      "bearer cf_x", "Token cf_x", "Bearer cf_x cf_y", "Basic " + "Zm9vOmJhcg==", "Bearer \t"
    };
    for (String h : authHeaders) {
      for (String path : new String[] {"/v1/jobs", "/v1/batches", "/v1/uploads"}) {
        check(
            "auth '" + h.substring(0, Math.min(h.length(), 20)) + "' " + path,
            client.send(
                null, "POST", path, "{}".getBytes(StandardCharsets.UTF_8), "Authorization", h));
      }
      check(
          "auth get " + h.length(),
          client.send(null, "GET", "/v1/jobs/" + UUID.randomUUID(), null, "Authorization", h));
    }
    AuthClient http1 =
        new AuthClient(dispatcher.baseUrl(), java.net.http.HttpClient.Version.HTTP_1_1);
    AuthClient.Answer huge =
        http1.send(
            null, "GET", "/v1/jobs/x", null, "Authorization", "Bearer " + "B".repeat(100_000));
    check("100 kB header over HTTP/1.1", huge);
    assertTrue(
        huge.status() == 431 && huge.text().contains("headers"), huge.status() + huge.text());
    answers.assertAllGood(1000);
  }
}
