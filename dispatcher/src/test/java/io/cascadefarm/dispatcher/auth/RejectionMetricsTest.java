package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.dispatcher.Await;
import io.cascadefarm.dispatcher.TestApi;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * /metrics counts what issue 5 asks for: rejected requests by reason (auth, validation, rate
 * limit), re-queued lease expiries, and jobs re-queued by the retry routes (lease expiries that
 * fail a job for good are checked on real PostgreSQL in {@link AuthTenancyIntegrationTest}).
 */
class RejectionMetricsTest {

  @Test
  void rejectionsAreCountedByReason() {
    try (TestApi api =
        new TestApi(
            Map.of("farm.tenant.submit-rate", "0.001", "farm.tenant.submit-burst", "1"),
            r -> r.getHeader("X-Test-Tenant"))) {
      assertEquals(401, api.post("/v1/jobs", "{\"prompt\":\"a\"}").status());
      assertEquals(400, api.post("/v1/jobs", "{\"width\":-1}", "X-Test-Tenant", "t").status());
      assertEquals(202, api.post("/v1/jobs", "{\"prompt\":\"a\"}", "X-Test-Tenant", "t").status());
      TestApi.Answer limited = api.post("/v1/jobs", "{\"prompt\":\"b\"}", "X-Test-Tenant", "t");
      assertEquals(429, limited.status());
      assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
      // another tenant has its own bucket
      assertEquals(202, api.post("/v1/jobs", "{\"prompt\":\"c\"}", "X-Test-Tenant", "u").status());
      String m = api.dispatcher.metrics().scrape();
      for (String reason : new String[] {"unauthorized", "invalid_request", "rate_limited"}) {
        assertTrue(
            m.contains("farm_http_rejected_total{reason=\"" + reason + "\"} 1.0"),
            reason + "\n" + m);
      }
    }
  }

  @Test
  void requeuedLeaseExpiriesAndApiRetriesAreCounted() {
    try (TestApi api = new TestApi()) {
      UUID job =
          UUID.fromString(api.post("/v1/jobs", "{\"prompt\":\"r\"}").json().path("id").asText());
      api.store.claim(job, "w1", Duration.ofSeconds(30)).orElseThrow();
      api.store.expireLease(job);
      Await.until(
          "requeued metric",
          () ->
              api.dispatcher
                  .metrics()
                  .scrape()
                  .contains("farm_lease_expiries_total{outcome=\"requeued\"} 1.0"));
      api.store.claim(job, "w2", Duration.ofSeconds(30)).orElseThrow();
      api.store.move(job, JobEvent.FAIL, null, new JobError("boom", "always", false));
      TestApi.Answer retried = api.post("/v1/jobs/" + job + "/retry", null);
      assertEquals(1, retried.json().path("requeued").asInt(), retried.text());
      assertTrue(api.dispatcher.metrics().scrape().contains("farm_api_retries_total 1.0"));
    }
  }
}
