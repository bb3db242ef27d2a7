package io.cascadefarm.db.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.ClaimedJob;
import io.cascadefarm.common.port.Completion;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.LeaseState;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.common.port.Submission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} must do, run against each implementation: PostgreSQL ({@code
 * PostgresJobStoreContractTest}) and the in-memory test store ({@code InMemoryJobStoreTest}). A
 * subclass only says how to make a fresh, empty store on a given clock.
 */
public abstract class JobStoreContractTest {
  protected static final String TENANT = "acme";
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration OUTBOX_CLAIM = Duration.ofSeconds(30);
  private static final JobError RETRYABLE = new JobError("render_error", "oom", true);
  private static final JobError FATAL = new JobError("invalid_input", "bad image", false);

  protected ManualClock clock;
  protected JobStore store;

  /** A fresh store with no jobs, on {@code clock}, hiding claimed outbox rows for {@code claim}. */
  protected abstract JobStore newStore(Clock clock, Duration outboxClaim);

  @BeforeEach
  void freshStore() {
    clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    store = newStore(clock, OUTBOX_CLAIM);
  }

  private static NewJob newJob(String tenant, String prompt, int maxAttempts) {
    JobParams params = JobDefaults.resolve(JobParams.textToImage(prompt), () -> 42L);
    return new NewJob(UUID.randomUUID(), tenant, params, maxAttempts);
  }

  private UUID submit(int maxAttempts) {
    NewJob job = newJob(TENANT, "a lighthouse", maxAttempts);
    store.submit(job, null, null);
    return job.id();
  }

  private Lease claim(UUID id) {
    return store.claim(id, "w1", LEASE).orElseThrow();
  }

  private static JobResult result(UUID id) {
    return new JobResult(
        List.of(new ResultImage("results/" + id + "/1/0.png", 64, 64, 42, null, null)));
  }

  // ---------------------------------------------------------------- submission and reads

  @Test
  void aSubmittedJobIsQueuedAndVisibleOnlyToItsTenant() {
    NewJob job = newJob(TENANT, "a cat", 3);
    Submission s = store.submit(job, null, null);
    assertFalse(s.replayed());
    Job j = store.find(job.id(), TENANT).orElseThrow();
    assertEquals(JobStatus.QUEUED, j.status());
    assertEquals(0, j.attempts());
    assertEquals(0, j.epoch());
    assertEquals(3, j.maxAttempts());
    assertEquals(job.params(), j.params());
    assertEquals(clock.instant(), j.createdAt());
    assertTrue(store.find(job.id(), "other").isEmpty());
    assertTrue(store.find(job.id()).isPresent());
    assertEquals(JobStatus.QUEUED, store.status(job.id()).orElseThrow());
    assertTrue(store.status(UUID.randomUUID()).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> store.submit(job, null, null));
  }

  @Test
  void anIdempotencyKeyReplaysTheSameRequestAndRefusesAnotherOne() {
    NewJob first = newJob(TENANT, "a cat", 3);
    store.submit(first, "k1", "hash-a");
    Submission again = store.submit(newJob(TENANT, "a cat", 3), "k1", "hash-a");
    assertTrue(again.replayed());
    assertEquals(first.id(), again.job().id());
    assertThrows(
        IdempotencyConflictException.class,
        () -> store.submit(newJob(TENANT, "a dog", 3), "k1", "hash-b"));
    assertFalse(store.submit(newJob("other", "a cat", 3), "k1", "hash-a").replayed());
  }

  @Test
  void aBatchIsCountedAndPagedByIdWithinItsTenant() {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(newJob(TENANT, "job " + i, 3));
    }
    NewBatch batch = new NewBatch(UUID.randomUUID(), TENANT, jobs, Map.of("owner", "test"));
    BatchSummary made = store.submitBatch(batch);
    assertEquals(5, made.jobCount());
    assertEquals(5, made.counts().get(JobStatus.QUEUED));
    store.cancel(jobs.get(0).id(), TENANT);
    BatchSummary read = store.batch(batch.id(), TENANT).orElseThrow();
    assertEquals(4, read.counts().get(JobStatus.QUEUED));
    assertEquals(1, read.counts().get(JobStatus.CANCELLED));
    assertEquals(0, read.counts().get(JobStatus.SUCCEEDED));
    assertEquals(Map.of("owner", "test"), read.metadata());
    assertTrue(store.batch(batch.id(), "other").isEmpty());

    List<UUID> paged = new ArrayList<>();
    UUID after = null;
    for (List<Job> page;
        !(page = store.listBatchJobs(batch.id(), TENANT, null, 2, after)).isEmpty(); ) {
      assertTrue(page.size() <= 2);
      page.forEach(j -> paged.add(j.id()));
      after = page.get(page.size() - 1).id();
    }
    assertEquals(5, paged.size());
    assertEquals(Set.copyOf(jobs.stream().map(NewJob::id).toList()), Set.copyOf(paged));
    assertEquals(
        List.of(jobs.get(0).id()),
        store.listBatchJobs(batch.id(), TENANT, JobStatus.CANCELLED, 10, null).stream()
            .map(Job::id)
            .toList());
    assertTrue(store.listBatchJobs(batch.id(), "other", null, 10, null).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> store.submitBatch(batch));
  }

  // ---------------------------------------------------------------- claims and leases

  @Test
  void claimAllClaimsEveryClaimableJobOnceWithItsLeaseAndJob() {
    UUID a = submit(3);
    UUID cancelled = submit(3);
    UUID b = submit(3);
    store.cancel(cancelled, TENANT);
    List<ClaimedJob> claimed =
        store.claimAll(List.of(a, cancelled, b, UUID.randomUUID()), "w1", LEASE);
    assertEquals(List.of(a, b), claimed.stream().map(c -> c.lease().jobId()).toList());
    for (ClaimedJob c : claimed) {
      assertEquals(1, c.lease().epoch());
      assertEquals(1, c.lease().attempt());
      assertEquals("w1", c.lease().worker());
      assertEquals(clock.instant().plus(LEASE), c.lease().expiresAt());
      assertEquals(c.lease().jobId(), c.job().id());
      assertEquals(JobStatus.RUNNING, c.job().status());
      assertEquals(1, c.job().epoch());
      assertEquals("w1", c.job().worker());
      assertEquals(c.lease().expiresAt(), c.job().leaseExpiresAt());
      assertEquals(clock.instant(), c.job().startedAt());
      assertEquals(store.find(c.lease().jobId()).orElseThrow(), c.job());
    }
    assertTrue(store.claimAll(List.of(a, b), "w2", LEASE).isEmpty(), "claimed only once");
    assertTrue(store.claim(a, "w2", LEASE).isEmpty());
  }

  @Test
  void aRequeuedJobIsNotClaimableBeforeItsBackoff() {
    UUID id = submit(3);
    assertEquals(FailOutcome.REQUEUED, store.fail(claim(id), RETRYABLE, Duration.ofSeconds(10)));
    assertTrue(store.claim(id, "w1", LEASE).isEmpty());
    clock.advance(Duration.ofSeconds(8));
    assertTrue(store.claim(id, "w1", LEASE).isEmpty());
    clock.advance(Duration.ofSeconds(2));
    Lease second = claim(id);
    assertEquals(2, second.epoch());
    assertEquals(2, second.attempt());
  }

  @Test
  void writesUnderAStaleLeaseChangeNothing() {
    UUID id = submit(3);
    Lease stale = claim(id);
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(List.of(id), store.reapExpiredLeases(clock.instant(), 10));
    Lease current = claim(id);
    assertEquals(2, current.epoch());

    assertFalse(store.heartbeat(stale, LEASE));
    assertFalse(store.progress(stale, new JobProgress("prior", 1, 20)));
    assertFalse(store.succeed(stale, result(id)));
    assertEquals(FailOutcome.STALE, store.fail(stale, FATAL, Duration.ZERO));
    assertFalse(store.release(stale, "draining"));
    assertEquals(Map.of(id, LeaseState.LOST), store.sync(List.of(stale), null));
    assertTrue(store.succeedAll(List.of(new Completion(stale, result(id)))).isEmpty());
    assertTrue(store.heartbeatAll(List.of(stale), LEASE).isEmpty());
    Job j = store.find(id).orElseThrow();
    assertEquals(JobStatus.RUNNING, j.status());
    assertEquals(2, j.epoch());
    assertNull(j.progress());

    assertTrue(store.heartbeat(current, LEASE));
    assertTrue(store.succeed(current, result(id)));
  }

  @Test
  void heartbeatsExtendOnlyCurrentLeases() {
    UUID a = submit(3);
    UUID b = submit(3);
    Lease la = claim(a);
    Lease lb = claim(b);
    store.cancel(b, TENANT);
    clock.advance(Duration.ofSeconds(10));
    assertEquals(Set.of(a), store.heartbeatAll(List.of(la, lb), LEASE));
    assertEquals(clock.instant().plus(LEASE), store.find(a).orElseThrow().leaseExpiresAt());
    assertTrue(store.heartbeat(la, LEASE));
    assertFalse(store.heartbeat(lb, LEASE));
  }

  @Test
  void syncWritesProgressUnderCurrentLeasesAndTellsWhereEachJobStands() {
    UUID a = submit(3);
    UUID b = submit(3);
    UUID c = submit(3);
    Lease la = claim(a);
    Lease lb = claim(b);
    Lease lc = claim(c);
    store.cancel(b, TENANT);
    assertTrue(store.release(lc, "draining"));
    claim(c); // another claim of c: lc is stale
    JobProgress p = new JobProgress("decoder", 4, 10);
    Map<UUID, LeaseState> states = store.sync(List.of(la, lb, lc), p);
    assertEquals(List.of(a, b, c), List.copyOf(states.keySet()));
    assertEquals(LeaseState.CURRENT, states.get(a));
    assertEquals(LeaseState.CANCELLED, states.get(b));
    assertEquals(LeaseState.LOST, states.get(c));
    assertEquals(p, store.find(a).orElseThrow().progress());
    assertNull(store.find(b).orElseThrow().progress());
    assertNull(store.find(c).orElseThrow().progress());
    assertEquals(
        Map.of(a, LeaseState.CURRENT), store.sync(List.of(la), null), "null: only a check");
    assertEquals(p, store.find(a).orElseThrow().progress());
    assertTrue(store.progress(la, new JobProgress("decoder", 5, 10)));
    assertEquals(5, store.find(a).orElseThrow().progress().step());
  }

  // ---------------------------------------------------------------- ends of an attempt

  @Test
  void succeedAllCompletesCurrentLeasesOnceAndSkipsStaleOnes() {
    UUID a = submit(3);
    UUID b = submit(3);
    Lease la = claim(a);
    Lease lb = claim(b);
    store.cancel(b, TENANT);
    clock.advance(Duration.ofSeconds(5));
    Set<UUID> done =
        store.succeedAll(List.of(new Completion(la, result(a)), new Completion(lb, result(b))));
    assertEquals(Set.of(a), done);
    Job j = store.find(a).orElseThrow();
    assertEquals(JobStatus.SUCCEEDED, j.status());
    assertEquals(result(a), j.result());
    assertNull(j.leaseExpiresAt());
    assertNull(j.error());
    assertEquals(clock.instant(), j.finishedAt());
    assertEquals(JobStatus.CANCELLED, store.find(b).orElseThrow().status());
    assertTrue(store.succeedAll(List.of(new Completion(la, result(a)))).isEmpty(), "no-op");
    assertFalse(store.succeed(la, result(a)));
  }

  @Test
  void aRetryableFailureRequeuesUntilTheAttemptsAreUsedUp() {
    UUID id = submit(2);
    assertEquals(FailOutcome.REQUEUED, store.fail(claim(id), RETRYABLE, Duration.ofSeconds(2)));
    Job queued = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, queued.status());
    assertEquals(RETRYABLE, queued.error());
    assertEquals(1, queued.attempts());
    assertNull(queued.leaseExpiresAt());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(FailOutcome.FAILED, store.fail(claim(id), RETRYABLE, Duration.ofSeconds(4)));
    Job failed = store.find(id).orElseThrow();
    assertEquals(JobStatus.FAILED, failed.status());
    assertEquals(clock.instant(), failed.finishedAt());

    UUID fatal = submit(3);
    assertEquals(FailOutcome.FAILED, store.fail(claim(fatal), FATAL, Duration.ofSeconds(2)));
    assertEquals(FATAL, store.find(fatal).orElseThrow().error());
  }

  @Test
  void aReleaseGivesTheAttemptBack() {
    UUID id = submit(3);
    assertTrue(store.release(claim(id), "draining"));
    Job j = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, j.status());
    assertEquals(0, j.attempts());
    Lease again = claim(id);
    assertEquals(1, again.attempt());
    assertEquals(2, again.epoch(), "the epoch never goes back");

    JobError outage = new JobError("storage_error", "S3 down", true);
    assertTrue(store.releaseAfterOutage(again, outage, Duration.ofSeconds(20)));
    Job waiting = store.find(id).orElseThrow();
    assertEquals(0, waiting.attempts());
    assertEquals(outage, waiting.error());
    assertTrue(store.claim(id, "w1", LEASE).isEmpty(), "waits for the outage delay");
    clock.advance(Duration.ofSeconds(20));
    assertEquals(1, claim(id).attempt());
  }

  // ---------------------------------------------------------------- user commands

  @Test
  void cancelAndRetryFollowTheStateMachineWithinTheTenant() {
    UUID id = submit(3);
    assertFalse(store.cancel(id, "other"));
    assertTrue(store.cancel(id, TENANT));
    assertFalse(store.cancel(id, TENANT), "already finished");
    Job cancelled = store.find(id).orElseThrow();
    assertEquals(JobStatus.CANCELLED, cancelled.status());
    assertEquals(clock.instant(), cancelled.finishedAt());
    assertEquals(0, store.retry(id, TENANT, false));
    assertEquals(0, store.retry(id, "other", true));
    assertEquals(1, store.retry(id, TENANT, true));
    Job retried = store.find(id).orElseThrow();
    assertEquals(JobStatus.QUEUED, retried.status());
    assertNull(retried.finishedAt());

    assertEquals(FailOutcome.FAILED, store.fail(claim(id), FATAL, Duration.ZERO));
    assertEquals(1, store.retry(id, TENANT, false));
    Job again = store.find(id).orElseThrow();
    assertEquals(0, again.attempts());
    assertNull(again.error());
    assertNull(again.worker());
  }

  @Test
  void batchCommandsMoveEveryJobThatMayMove() {
    List<NewJob> jobs = List.of(newJob(TENANT, "a", 3), newJob(TENANT, "b", 3));
    NewBatch batch = new NewBatch(UUID.randomUUID(), TENANT, jobs, Map.of());
    store.submitBatch(batch);
    claim(jobs.get(0).id());
    assertEquals(0, store.cancelBatch(batch.id(), "other"));
    assertEquals(2, store.cancelBatch(batch.id(), TENANT), "queued and running");
    assertEquals(0, store.retryBatch(batch.id(), TENANT, false));
    assertEquals(2, store.retryBatch(batch.id(), TENANT, true));
    assertEquals(2, store.batch(batch.id(), TENANT).orElseThrow().counts().get(JobStatus.QUEUED));
  }

  // ---------------------------------------------------------------- reaper, outbox, history

  @Test
  void theReaperRequeuesExpiredLeasesAndFailsJobsWithoutAttemptsLeft() {
    UUID more = submit(3);
    UUID last = submit(1);
    UUID alive = submit(3);
    claim(more);
    claim(last);
    clock.advance(Duration.ofSeconds(20));
    Lease fresh = claim(alive);
    clock.advance(Duration.ofSeconds(15));
    assertEquals(Set.of(more, last), Set.copyOf(store.reapExpiredLeases(clock.instant(), 10)));
    assertEquals(JobStatus.QUEUED, store.find(more).orElseThrow().status());
    Job failed = store.find(last).orElseThrow();
    assertEquals(JobStatus.FAILED, failed.status());
    assertEquals("lease_expired", failed.error().code());
    assertEquals(JobStatus.RUNNING, store.find(alive).orElseThrow().status());
    assertTrue(store.reapExpiredLeases(clock.instant(), 10).isEmpty());
    assertTrue(store.heartbeat(fresh, LEASE));
  }

  @Test
  void theOutboxHoldsQueuedJobsUntilPublished() {
    UUID a = submit(3);
    UUID b = submit(3);
    List<OutboxMessage> due = store.pendingOutbox(clock.instant(), 10);
    assertEquals(List.of(a, b), due.stream().map(OutboxMessage::jobId).toList());
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty(), "claimed rows are hidden");
    clock.advance(OUTBOX_CLAIM.plusSeconds(1));
    List<OutboxMessage> again = store.pendingOutbox(clock.instant(), 1);
    assertEquals(1, again.size(), "the limit holds");
    store.markPublished(List.of(again.get(0).id()));
    clock.advance(OUTBOX_CLAIM.plusSeconds(1));
    List<OutboxMessage> rest = store.pendingOutbox(clock.instant(), 10);
    assertEquals(1, rest.size());
    store.markPublished(rest.stream().map(OutboxMessage::id).toList());

    assertEquals(FailOutcome.REQUEUED, store.fail(claim(a), RETRYABLE, Duration.ofSeconds(5)));
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty(), "due after the backoff");
    clock.advance(Duration.ofSeconds(5));
    assertEquals(
        List.of(a),
        store.pendingOutbox(clock.instant(), 10).stream().map(OutboxMessage::jobId).toList());
    claim(a);
    clock.advance(OUTBOX_CLAIM.plusSeconds(1));
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty(), "a claimed job left the queue");
  }

  @Test
  void theHistoryRecordsEveryTransition() {
    UUID id = submit(3);
    assertEquals(FailOutcome.REQUEUED, store.fail(claim(id), RETRYABLE, Duration.ZERO));
    assertTrue(store.succeed(store.claim(id, "w2", LEASE).orElseThrow(), result(id)));
    List<TransitionRecord> h = store.history(id);
    assertEquals(
        java.util.Arrays.asList(
            null, JobEvent.CLAIM, JobEvent.REQUEUE, JobEvent.CLAIM, JobEvent.SUCCEED),
        h.stream().map(TransitionRecord::event).toList());
    assertEquals("submitted", h.get(0).reason());
    assertEquals(JobStatus.QUEUED, h.get(0).to());
    assertNull(h.get(0).from());
    assertEquals("w1", h.get(1).worker());
    assertEquals("render_error", h.get(2).reason());
    assertEquals("w2", h.get(3).worker());
    assertEquals(JobStatus.SUCCEEDED, h.get(4).to());
    assertNotNull(h.get(4).at());
  }
}
