package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.dispatcher.it.RealFarm;
import io.cascadefarm.embedded.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two dispatchers wired by {@link Dispatchers} on the SAME embedded PostgreSQL share each tenant's
 * submit rate and queued-jobs quota: concurrent submits spread over both are admitted exactly up to
 * the limit, and the next one is 429 on either. One pair runs with a tiny rate (burst 10), one with
 * a quota of 15 and a rate that never binds.
 */
class FarmWideLimitsIntegrationTest {
  static final List<Dispatcher> started = new ArrayList<>();
  static AuthClient[] ratePair;
  static AuthClient[] quotaPair;
  static Database db;
  static JdbcJobStore store;

  @BeforeAll
  static void start() {
    DispatcherConfig rate = config("1000", "0.001", "10");
    DispatcherConfig quota = config("15", "1000000", "1000000");
    db = Database.create(rate.db());
    db.migrate();
    store = db.jobStore();
    ratePair = new AuthClient[] {client(rate), client(rate)};
    quotaPair = new AuthClient[] {client(quota), client(quota)};
  }

  static DispatcherConfig config(String maxQueued, String rate, String burst) {
    return RealFarm.config(
        TestServices.endpoints(),
        Map.of(
            "farm.kafka.job-partitions", "1",
            "farm.auth.enabled", "true",
            "farm.tenant.max-queued-jobs", maxQueued,
            "farm.tenant.submit-rate", rate,
            "farm.tenant.submit-burst", burst));
  }

  static AuthClient client(DispatcherConfig config) {
    Dispatcher d = Dispatchers.fromConfig(config);
    started.add(d);
    d.start();
    return new AuthClient(d.baseUrl());
  }

  @AfterAll
  static void stop() {
    started.forEach(Dispatcher::close);
    if (db != null) {
      db.close();
    }
  }

  static String newKey(String tenant) {
    String secret = ApiKeySecrets.generate();
    store.createKey(tenant, "test", ApiKeySecrets.sha256Hex(secret));
    return secret;
  }

  /** Sends {@code n} single-job submits, alternating between the pair, 8 at a time. */
  static List<AuthClient.Answer> singleSubmits(AuthClient[] pair, String key, int n)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<AuthClient.Answer>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        AuthClient to = pair[i % 2];
        String body = "{\"prompt\":\"shared " + i + "\"}";
        sent.add(pool.submit(() -> to.send(key, "POST", "/v1/jobs", body)));
      }
      List<AuthClient.Answer> answers = new ArrayList<>();
      for (Future<AuthClient.Answer> f : sent) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Asserts how many were accepted and that every other answer is 429 with {@code code}. */
  static void assertAccepted(int expected, List<AuthClient.Answer> answers, String code) {
    int accepted = 0;
    for (AuthClient.Answer a : answers) {
      if (a.status() == 202) {
        accepted++;
      } else {
        assertEquals(429, a.status(), a.text());
        assertEquals(code, a.json().path("error").path("code").asText(), a.text());
      }
    }
    assertEquals(expected, accepted, "accepted over both dispatchers");
  }

  static String batch(int n) {
    StringBuilder jobs = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < n; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"prompt\":\"b").append(i).append("\"}");
    }
    return jobs.append("]}").toString();
  }

  @Test
  void theSubmitRateIsSharedSoBothDispatchersTogetherAdmitTheBurstOnce() throws Exception {
    String tenant = "rate-" + UUID.randomUUID();
    String key = newKey(tenant);
    assertAccepted(10, singleSubmits(ratePair, key, 24), "rate_limited");
    assertEquals(10, store.unfinishedJobs(tenant));
    for (AuthClient d : ratePair) {
      AuthClient.Answer eleventh = d.send(key, "POST", "/v1/jobs", "{\"prompt\":\"late\"}");
      assertEquals(429, eleventh.status(), eleventh.text());
      assertEquals("rate_limited", eleventh.json().path("error").path("code").asText());
    }
    // another tenant has its own bucket
    assertAccepted(
        10, singleSubmits(ratePair, newKey("rate-" + UUID.randomUUID()), 12), "rate_limited");
  }

  @Test
  void theQueuedJobsQuotaIsSharedAndFreedByFinishedJobs() throws Exception {
    String tenant = "quota-" + UUID.randomUUID();
    String key = newKey(tenant);
    AuthClient.Answer first = quotaPair[0].send(key, "POST", "/v1/batches", batch(10));
    assertEquals(202, first.status(), first.text());
    AuthClient.Answer tooMany = quotaPair[1].send(key, "POST", "/v1/batches", batch(6));
    assertEquals(429, tooMany.status(), tooMany.text());
    assertEquals("quota_exceeded", tooMany.json().path("error").path("code").asText());
    assertEquals(
        "farm.tenant.max-queued-jobs",
        tooMany.json().path("error").path("fields").path(0).path("field").asText());
    assertAccepted(5, singleSubmits(quotaPair, key, 12), "quota_exceeded");
    assertEquals(15, store.unfinishedJobs(tenant));
    String id = first.json().path("id").asText();
    String job =
        quotaPair[0]
            .get(key, "/v1/batches/" + id + "/jobs")
            .json()
            .path("jobs")
            .path(0)
            .path("id")
            .asText();
    Lease lease = store.claim(UUID.fromString(job), "w", Duration.ofMinutes(1)).orElseThrow();
    store.succeed(lease, new JobResult(List.of()));
    assertAccepted(1, singleSubmits(quotaPair, key, 4), "quota_exceeded");
    assertEquals(15, store.unfinishedJobs(tenant));
  }
}
