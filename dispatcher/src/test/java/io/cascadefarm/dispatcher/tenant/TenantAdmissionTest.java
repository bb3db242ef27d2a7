package io.cascadefarm.dispatcher.tenant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.api.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-process token bucket and quota on a hand-moved clock (no sleeping, no timing), and the 429
 * a store's farm-wide refusal maps to.
 */
class TenantAdmissionTest {
  final AtomicLong nanos = new AtomicLong(1);
  final Map<String, Long> stored = new HashMap<>();

  TenantAdmission admission(long maxQueued, double rate, long burst) {
    return new TenantAdmission(
        new TenantSettings(true, Duration.ofSeconds(30), maxQueued, rate, burst),
        t -> stored.getOrDefault(t, 0L),
        nanos::get);
  }

  void advanceSeconds(double s) {
    nanos.addAndGet((long) (s * 1e9));
  }

  @Test
  void theBucketCountsJobsRefillsAtTheRateAndNamesTheWait() {
    TenantAdmission a = admission(1_000_000, 10, 20);
    a.admit("t", 20);
    ApiException e = assertThrows(ApiException.class, () -> a.admit("t", 5));
    assertEquals(429, e.status());
    assertEquals("rate_limited", e.code());
    assertEquals(1, e.retryAfterSeconds(), "5 jobs at 10/s: 0.5 s, rounded up");
    assertEquals("farm.tenant.submit-rate", e.fields().get(0).field());
    advanceSeconds(0.5);
    assertDoesNotThrow(() -> a.admit("t", 5));
    assertDoesNotThrow(() -> a.admit("other", 20), "each tenant has its own bucket");
  }

  @Test
  void aBatchLargerThanTheBurstPassesOnAFullBucketAndLeavesADebt() {
    TenantAdmission a = admission(1_000_000, 10, 20);
    a.admit("t", 100);
    ApiException e = assertThrows(ApiException.class, () -> a.admit("t", 1));
    assertEquals(9, e.retryAfterSeconds(), "80 jobs of debt + 1 at 10/s = 8.1 s -> 9");
    advanceSeconds(8.1);
    assertDoesNotThrow(() -> a.admit("t", 1));
  }

  @Test
  void theQuotaCountsStoredAndJustAcceptedJobs() {
    TenantAdmission a = admission(10, 1000, 1000);
    stored.put("t", 8L);
    a.admit("t", 2);
    a.accepted("t", 2);
    ApiException e = assertThrows(ApiException.class, () -> a.admit("t", 1));
    assertEquals("quota_exceeded", e.code());
    assertEquals("farm.tenant.max-queued-jobs", e.fields().get(0).field());
    assertEquals(TenantAdmission.QUOTA_RETRY_AFTER_SECONDS, e.retryAfterSeconds());
    stored.put("t", 3L); // workers finished jobs; seen after the refresh interval
    advanceSeconds(1);
    assertDoesNotThrow(() -> a.admit("t", 7));
  }

  @Test
  void aStoreWithoutFarmWideLimitsGetsTheInProcessChecks() {
    InMemoryJobStore store = new InMemoryJobStore();
    AdmissionSetup setup =
        AdmissionSetup.of(new TenantSettings(true, Duration.ofSeconds(30), 5, 1000, 1000), store);
    assertSame(store, setup.store());
    setup.admission().admit("t", 5);
    setup.admission().accepted("t", 5);
    assertEquals(
        "quota_exceeded",
        assertThrows(ApiException.class, () -> setup.admission().admit("t", 1)).code());
  }

  @Test
  void aStoreRefusalBecomesTheSame429AsTheInProcessCheck() {
    TenantLimits limits = new TenantLimits(10, 2.5, 7);
    ApiException quota =
        TenantAdmission.refusal(TenantLimitException.queuedJobs("t", 3, 9, limits));
    assertEquals(429, quota.status());
    assertEquals("quota_exceeded", quota.code());
    assertEquals("farm.tenant.max-queued-jobs", quota.fields().get(0).field());
    assertEquals(TenantAdmission.QUOTA_RETRY_AFTER_SECONDS, quota.retryAfterSeconds());
    assertEquals(
        "tenant 't' has 9 unfinished jobs; 3 more would pass farm.tenant.max-queued-jobs = 10",
        quota.getMessage());
    ApiException rate = TenantAdmission.refusal(TenantLimitException.submitRate("t", 3, 4, limits));
    assertEquals(429, rate.status());
    assertEquals("rate_limited", rate.code());
    assertEquals("farm.tenant.submit-rate", rate.fields().get(0).field());
    assertEquals(4, rate.retryAfterSeconds());
  }
}
