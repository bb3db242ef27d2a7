package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.TenantLimitException;
import io.cascadefarm.common.port.TenantLimitException.Limit;
import io.cascadefarm.common.port.TenantLimits;
import io.cascadefarm.db.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code tenant_limits.unfinished} counter kept by the V3 triggers equals a COUNT(*) of the
 * tenant's queued and running jobs after every path that changes a job's status, and the quota a
 * limited store checks against it.
 */
class UnfinishedCounterTest {
  static final Duration LEASE = Duration.ofSeconds(30);

  ManualClock clock;
  JdbcJobStore store;
  String tenant;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    store = new JdbcJobStore(TestDb.database().dataSource(), clock, Duration.ofSeconds(20));
    tenant = "count-" + UUID.randomUUID();
  }

  /** Asserts the counter of {@code t} is {@code expected} and equals the COUNT(*). */
  void assertCounted(String t, long expected) {
    long counted =
        TestDb.count(
            "SELECT count(*) FROM jobs WHERE tenant = '"
                + t
                + "' AND status IN ('queued', 'running')");
    assertEquals(expected, counted, "COUNT(*) of " + t);
    assertEquals(counted, store.unfinishedJobs(t), "counter of " + t);
  }

  void assertCounted(long expected) {
    assertCounted(tenant, expected);
  }

  UUID submit(int maxAttempts) {
    NewJob job = TestJobs.job(tenant, "count", maxAttempts);
    store.submit(job, null, null);
    return job.id();
  }

  NewBatch batch(String t, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(TestJobs.job(t, "batch " + i, 1));
    }
    return new NewBatch(UUID.randomUUID(), t, jobs, Map.of());
  }

  @Test
  void workerPathsKeepTheCounterExact() {
    UUID a = submit(3);
    UUID b = submit(1);
    UUID c = submit(3);
    UUID d = submit(3);
    assertCounted(4);
    Lease la = store.claim(a, "w", LEASE).orElseThrow();
    assertCounted(4);
    assertTrue(store.heartbeat(la, LEASE));
    assertTrue(store.succeed(la, new JobResult(List.of())));
    assertCounted(3);
    Lease lb = store.claim(b, "w", LEASE).orElseThrow();
    JobError retryable = new JobError("render_error", "oom", true);
    assertEquals(FailOutcome.FAILED, store.fail(lb, retryable, Duration.ZERO), "no attempts left");
    assertCounted(2);
    Lease lc = store.claim(c, "w", LEASE).orElseThrow();
    assertEquals(FailOutcome.REQUEUED, store.fail(lc, retryable, Duration.ZERO));
    assertCounted(2);
    Lease ld = store.claim(d, "w", LEASE).orElseThrow();
    assertTrue(store.release(ld, "draining"));
    assertCounted(2);
    assertEquals(1, store.retry(b, tenant, false));
    assertCounted(3);
    assertFalse(store.succeed(la, new JobResult(List.of())), "a stale write changes nothing");
    assertCounted(3);
  }

  @Test
  void userCommandsKeepTheCounterExact() {
    UUID running = submit(3);
    store.claim(running, "w", LEASE).orElseThrow();
    UUID queued = submit(3);
    NewBatch batch = batch(tenant, 50);
    store.submitBatch(batch);
    assertCounted(52);
    assertTrue(store.cancel(running, tenant));
    assertTrue(store.cancel(queued, tenant));
    assertCounted(50);
    assertEquals(50, store.cancelBatch(batch.id(), tenant));
    assertCounted(0);
    assertEquals(0, store.retryBatch(batch.id(), tenant, false), "cancelled jobs stay");
    assertCounted(0);
    assertEquals(50, store.retryBatch(batch.id(), tenant, true));
    assertEquals(1, store.retry(queued, tenant, true));
    assertCounted(51);
  }

  @Test
  void theReaperKeepsTheCountersOfSeveralTenantsExact() {
    String other = "count-other-" + UUID.randomUUID();
    UUID requeued = submit(3);
    UUID failed = submit(1);
    NewJob otherJob = TestJobs.job(other, "other", 1);
    store.submit(otherJob, null, null);
    store.claim(requeued, "w", LEASE).orElseThrow();
    store.claim(failed, "w", LEASE).orElseThrow();
    store.claim(otherJob.id(), "w", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(3, store.reapExpiredLeases(clock.instant(), 10).size());
    assertCounted(1);
    assertCounted(other, 0);
  }

  @Test
  void deletedAndTruncatedJobsLeaveTheCount() {
    UUID gone = submit(3);
    submit(3);
    TestDb.exec("DELETE FROM job_transitions WHERE job_id = '" + gone + "'");
    TestDb.exec("DELETE FROM outbox WHERE job_id = '" + gone + "'");
    TestDb.exec("DELETE FROM jobs WHERE id = '" + gone + "'");
    assertCounted(1);
    TestDb.reset();
    assertCounted(0);
  }

  @Test
  void aLimitedStoreRefusesPastTheQuotaAndStoresNothing() {
    JdbcJobStore limited = store.limitedBy(new TenantLimits(10, 1e6, 1_000_000));
    limited.submitBatch(batch(tenant, 8));
    TenantLimitException e =
        assertThrows(TenantLimitException.class, () -> limited.submitBatch(batch(tenant, 3)));
    assertEquals(Limit.QUEUED_JOBS, e.limit());
    assertEquals(8, e.unfinished());
    assertCounted(8);
    limited.submitBatch(batch(tenant, 2));
    assertCounted(10);
    NewJob oneMore = TestJobs.job(tenant, "one more", 1);
    assertThrows(TenantLimitException.class, () -> limited.submit(oneMore, null, null));
    assertCounted(10);
    Lease lease = store.claim(someQueuedJob(), "w", LEASE).orElseThrow();
    assertTrue(store.succeed(lease, new JobResult(List.of())));
    assertCounted(9);
    limited.submit(oneMore, null, null);
    assertCounted(10);
  }

  UUID someQueuedJob() {
    String sql = "SELECT id FROM jobs WHERE tenant = ? AND status = 'queued' LIMIT 1";
    try (java.sql.Connection c = TestDb.database().dataSource().getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenant);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
