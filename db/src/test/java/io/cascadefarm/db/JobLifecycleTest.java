package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.db.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final JobError RETRYABLE = new JobError("render_error", "oom", true);
  private static final JobError FATAL = new JobError("invalid_input", "bad image", false);

  private ManualClock clock;
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    store = new JdbcJobStore(TestDb.database().dataSource(), clock, Duration.ofSeconds(30));
  }

  private UUID submit(int maxAttempts) {
    NewJob job = TestJobs.job("a lighthouse", maxAttempts);
    store.submit(job, null, null);
    return job.id();
  }

  @Test
  void claimStartsAnAttemptWithANewEpochAndOnlyOnce() {
    UUID id = submit(3);
    Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
    assertEquals(1, lease.epoch());
    assertEquals(1, lease.attempt());
    assertEquals(clock.instant().plus(LEASE), lease.expiresAt());
    assertTrue(store.claim(id, "w2", LEASE).isEmpty(), "a running job cannot be claimed again");
    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.RUNNING, job.status());
    assertEquals("w1", job.worker());
    assertEquals(lease.expiresAt(), job.leaseExpiresAt());
  }

  @Test
  void heartbeatProgressAndSucceedUnderTheCurrentLease() {
    UUID id = submit(3);
    Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
    clock.advance(Duration.ofSeconds(10));
    assertTrue(store.heartbeat(lease, LEASE));
    assertEquals(clock.instant().plus(LEASE), store.find(id).orElseThrow().leaseExpiresAt());
    assertTrue(store.progress(lease, new JobProgress("prior", 3, 20)));
    assertEquals(new JobProgress("prior", 3, 20), store.find(id).orElseThrow().progress());
    JobResult result =
        new JobResult(
            List.of(ResultImage.stored(id + "/1/0.png", 1024, 1024, 42, new byte[] {1, 2, 3})));
    assertTrue(store.succeed(lease, result));
    Job done = store.find(id).orElseThrow();
    assertEquals(JobStatus.SUCCEEDED, done.status());
    assertEquals(result, done.result());
    assertNull(done.leaseExpiresAt());
    assertEquals(clock.instant(), done.finishedAt());
    assertFalse(store.succeed(lease, result), "completing a finished job is a no-op");
    assertFalse(store.heartbeat(lease, LEASE));
  }

  @Test
  void aResultStoredBeforeImagesHadDigestsStillReads() throws Exception {
    UUID id = submit(3);
    store.succeed(store.claim(id, "w1", LEASE).orElseThrow(), new JobResult(List.of()));
    try (var c = TestDb.database().dataSource().getConnection();
        var ps = c.prepareStatement("UPDATE jobs SET result = ?::jsonb WHERE id = ?")) {
      ps.setString(1, "{\"images\":[{\"key\":\"old.png\",\"width\":64,\"height\":32,\"seed\":9}]}");
      ps.setObject(2, id);
      assertEquals(1, ps.executeUpdate());
    }
    assertEquals(
        new JobResult(List.of(new ResultImage("old.png", 64, 32, 9, null, null))),
        store.find(id).orElseThrow().result());
  }

  @Test
  void writesUnderAStaleEpochChangeNothing() {
    UUID id = submit(3);
    Lease old = store.claim(id, "w1", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(List.of(id), store.reapExpiredLeases(clock.instant(), 10));
    Lease current = store.claim(id, "w2", LEASE).orElseThrow();
    assertEquals(old.epoch() + 1, current.epoch());

    assertFalse(store.heartbeat(old, LEASE));
    assertFalse(store.progress(old, new JobProgress("decoder", 1, 10)));
    assertFalse(store.succeed(old, new JobResult(List.of())));
    assertEquals(FailOutcome.STALE, store.fail(old, FATAL, Duration.ZERO));
    assertFalse(store.release(old, "draining"));

    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.RUNNING, job.status());
    assertEquals("w2", job.worker());
    assertEquals(current.epoch(), job.epoch());
    assertNull(job.progress());
    assertTrue(store.succeed(current, new JobResult(List.of())));
  }

  @Test
  void retryableFailureRequeuesAfterTheBackoff() {
    UUID id = submit(3);
    Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
    assertEquals(FailOutcome.REQUEUED, store.fail(lease, RETRYABLE, Duration.ofSeconds(5)));
    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, job.status());
    assertEquals(RETRYABLE, job.error());
    assertTrue(store.claim(id, "w1", LEASE).isEmpty(), "still backing off");
    clock.advance(Duration.ofSeconds(3));
    assertTrue(store.claim(id, "w1", LEASE).isEmpty(), "2 s of backoff left");
    clock.advance(Duration.ofMillis(1500)); // within the 1 s clock tolerance of the end
    Lease second = store.claim(id, "w1", LEASE).orElseThrow();
    assertEquals(2, second.attempt());
    assertEquals(2, second.epoch());
  }

  @Test
  void aRetrysOutboxMessageNamesTheWorkersThatClaimedTheJobBefore() {
    UUID id = submit(3);
    java.util.function.Supplier<List<String>> tried =
        () ->
            store.pendingJobs(clock.instant().plusSeconds(60), 100).stream()
                .filter(p -> p.message().jobId().equals(id))
                .findFirst()
                .orElseThrow()
                .message()
                .triedBy();
    assertEquals(List.of(), tried.get(), "a first attempt has no history");
    Lease a1 = store.claim(id, "w1", LEASE).orElseThrow();
    assertEquals(FailOutcome.REQUEUED, store.fail(a1, RETRYABLE, Duration.ZERO));
    assertEquals(List.of("w1"), tried.get());
    clock.advance(Duration.ofMinutes(2)); // past the outbox claim time of the reads above
    Lease a2 = store.claim(id, "w2", LEASE).orElseThrow();
    assertEquals(FailOutcome.REQUEUED, store.fail(a2, RETRYABLE, Duration.ZERO));
    assertEquals(List.of("w1", "w2"), tried.get(), "oldest first");
  }

  @Test
  void failureIsFinalWhenNotRetryableOrOutOfAttempts() {
    UUID fatal = submit(3);
    Lease l1 = store.claim(fatal, "w1", LEASE).orElseThrow();
    assertEquals(FailOutcome.FAILED, store.fail(l1, FATAL, Duration.ZERO));
    assertEquals(JobStatus.FAILED, store.find(fatal).orElseThrow().status());

    UUID flaky = submit(2);
    Lease a1 = store.claim(flaky, "w1", LEASE).orElseThrow();
    assertEquals(FailOutcome.REQUEUED, store.fail(a1, RETRYABLE, Duration.ZERO));
    Lease a2 = store.claim(flaky, "w1", LEASE).orElseThrow();
    assertEquals(FailOutcome.FAILED, store.fail(a2, RETRYABLE, Duration.ZERO));
    Job job = store.find(flaky).orElseThrow();
    assertEquals(JobStatus.FAILED, job.status());
    assertEquals(2, job.attempts());
    assertEquals(RETRYABLE, job.error());
  }

  @Test
  void releaseHandsTheJobBackWithoutUsingAnAttempt() {
    UUID id = submit(1);
    Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
    assertTrue(store.release(lease, "worker draining"));
    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, job.status());
    assertEquals(0, job.attempts());
    assertTrue(store.claim(id, "w2", LEASE).isPresent(), "one attempt is still left");
  }

  @Test
  void anOutageReleaseKeepsTheAttemptRecordsTheErrorAndWaits() {
    UUID id = submit(1);
    for (int i = 0; i < 3; i++) {
      Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
      assertTrue(store.releaseAfterOutage(lease, RETRYABLE, Duration.ZERO));
    }
    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, job.status());
    assertEquals(0, job.attempts(), "outages use no attempt, however many");
    assertEquals(RETRYABLE, job.error());
    assertEquals(3, job.epoch());
    Lease lease = store.claim(id, "w1", LEASE).orElseThrow();
    assertTrue(store.releaseAfterOutage(lease, RETRYABLE, Duration.ofHours(1)));
    assertTrue(store.claim(id, "w2", LEASE).isEmpty(), "not claimable before the delay");
  }

  @Test
  void cancelQueuedAndRunningButNotFinishedJobs() {
    UUID queued = submit(3);
    assertFalse(store.cancel(queued, "someone-else"), "another tenant's job");
    assertTrue(store.cancel(queued, TestJobs.TENANT));
    assertEquals(JobStatus.CANCELLED, store.status(queued).orElseThrow());
    assertTrue(store.claim(queued, "w1", LEASE).isEmpty());

    UUID running = submit(3);
    Lease lease = store.claim(running, "w1", LEASE).orElseThrow();
    assertTrue(store.cancel(running, TestJobs.TENANT));
    assertFalse(store.succeed(lease, new JobResult(List.of())), "cancelled under the worker");
    assertEquals(JobStatus.CANCELLED, store.status(running).orElseThrow());

    UUID done = submit(3);
    store.succeed(store.claim(done, "w1", LEASE).orElseThrow(), new JobResult(List.of()));
    assertFalse(store.cancel(done, TestJobs.TENANT));
    assertFalse(store.cancel(UUID.randomUUID(), TestJobs.TENANT));
  }

  @Test
  void retryGivesFailedJobsAFreshBudgetAndCancelledOnlyWhenAsked() {
    UUID failed = submit(1);
    store.fail(store.claim(failed, "w1", LEASE).orElseThrow(), FATAL, Duration.ZERO);
    assertEquals(1, store.retry(failed, TestJobs.TENANT, false));
    Job job = store.find(failed).orElseThrow();
    assertEquals(JobStatus.QUEUED, job.status());
    assertEquals(0, job.attempts());
    assertNull(job.error());
    assertTrue(store.claim(failed, "w1", LEASE).isPresent());

    UUID cancelled = submit(3);
    store.cancel(cancelled, TestJobs.TENANT);
    assertEquals(0, store.retry(cancelled, TestJobs.TENANT, false));
    assertEquals(0, store.retry(cancelled, "someone-else", true));
    assertEquals(1, store.retry(cancelled, TestJobs.TENANT, true));
    assertEquals(JobStatus.QUEUED, store.status(cancelled).orElseThrow());

    UUID queued = submit(3);
    assertEquals(0, store.retry(queued, TestJobs.TENANT, true), "queued jobs cannot be retried");
  }

  @Test
  void historyRecordsEveryTransitionInOrder() {
    UUID id = submit(3);
    Lease l1 = store.claim(id, "w1", LEASE).orElseThrow();
    store.fail(l1, RETRYABLE, Duration.ZERO);
    Lease l2 = store.claim(id, "w2", LEASE).orElseThrow();
    store.release(l2, "draining");
    store.cancel(id, TestJobs.TENANT);
    store.retry(id, TestJobs.TENANT, true);

    List<TransitionRecord> h = store.history(id);
    List<JobEvent> events = h.stream().map(TransitionRecord::event).toList();
    assertEquals(
        java.util.Arrays.asList(
            null,
            JobEvent.CLAIM,
            JobEvent.REQUEUE,
            JobEvent.CLAIM,
            JobEvent.RELEASE,
            JobEvent.CANCEL,
            JobEvent.RETRY),
        events);
    assertNull(h.get(0).from());
    assertEquals(JobStatus.QUEUED, h.get(0).to());
    assertEquals(JobStatus.RUNNING, h.get(2).from());
    assertEquals("render_error", h.get(2).reason());
    assertEquals("w2", h.get(4).worker());
    assertEquals("draining", h.get(4).reason());
    assertEquals(JobStatus.QUEUED, h.get(5).from());
    assertEquals(JobStatus.CANCELLED, h.get(6).from());
    assertEquals(JobStatus.QUEUED, h.get(6).to());
  }
}
