package io.cascadefarm.worker.testing;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.common.port.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link JobStore} that keeps the state machine and fencing rules of the real one for
 * the calls a worker makes. Backoff is recorded but not enforced. {@link #failNextCalls} makes the
 * next n calls throw, as if PostgreSQL were down.
 */
public final class FakeJobStore implements JobStore {
  /** Jobs handed back with release, in order (one entry per release). */
  public final java.util.List<UUID> releases =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private final Map<UUID, Job> jobs = new ConcurrentHashMap<>();
  private final List<Duration> backoffs = new ArrayList<>();
  private final List<JobProgress> progress = new ArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile boolean heartbeatsRefused;

  /** Adds a queued job with resolved params. */
  public synchronized UUID add(JobParams params, int maxAttempts) {
    UUID id = UUID.randomUUID();
    JobParams resolved = JobDefaults.resolve(params, () -> 42L);
    Instant now = Instant.now();
    jobs.put(
        id,
        new Job(
            id,
            null,
            "t1",
            JobStatus.QUEUED,
            resolved,
            0,
            maxAttempts,
            0,
            null,
            null,
            null,
            null,
            null,
            now,
            now,
            null,
            null));
    return id;
  }

  /** As if the reaper re-queued the job and another worker claimed it: a new epoch. */
  public synchronized void steal(UUID id) {
    Job j = jobs.get(id);
    put(j, JobStatus.RUNNING, j.attempts() + 1, j.epoch() + 1, null, null);
  }

  public void failNextCalls(int n) {
    failNext.set(n);
  }

  public void refuseHeartbeats() {
    heartbeatsRefused = true;
  }

  public synchronized Job get(UUID id) {
    return jobs.get(id);
  }

  public synchronized List<Duration> backoffs() {
    return List.copyOf(backoffs);
  }

  public synchronized List<JobProgress> progressLog() {
    return List.copyOf(progress);
  }

  private void maybeFail() {
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("store unavailable (injected)");
    }
  }

  private boolean current(Lease l) {
    Job j = jobs.get(l.jobId());
    return j != null && j.status() == JobStatus.RUNNING && j.epoch() == l.epoch();
  }

  private void put(Job j, JobStatus status, int attempts, long epoch, JobResult r, JobError e) {
    jobs.put(
        j.id(),
        new Job(
            j.id(),
            j.batchId(),
            j.tenant(),
            status,
            j.params(),
            attempts,
            j.maxAttempts(),
            epoch,
            j.progress(),
            r,
            e,
            j.worker(),
            j.leaseExpiresAt(),
            j.createdAt(),
            Instant.now(),
            j.startedAt(),
            j.finishedAt()));
  }

  @Override
  public synchronized Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime) {
    maybeFail();
    Job j = jobs.get(jobId);
    if (j == null || j.status() != JobStatus.QUEUED) {
      return Optional.empty();
    }
    JobStateMachine.require(j.status(), JobEvent.CLAIM);
    put(j, JobStatus.RUNNING, j.attempts() + 1, j.epoch() + 1, null, j.error());
    return Optional.of(
        new Lease(jobId, worker, j.epoch() + 1, j.attempts() + 1, Instant.now().plus(leaseTime)));
  }

  @Override
  public synchronized boolean heartbeat(Lease lease, Duration leaseTime) {
    maybeFail();
    return !heartbeatsRefused && current(lease);
  }

  @Override
  public synchronized boolean progress(Lease lease, JobProgress p) {
    maybeFail();
    if (!current(lease)) {
      return false;
    }
    progress.add(p);
    return true;
  }

  @Override
  public synchronized boolean succeed(Lease lease, JobResult result) {
    maybeFail();
    if (!current(lease)) {
      return false;
    }
    Job j = jobs.get(lease.jobId());
    put(j, JobStatus.SUCCEEDED, j.attempts(), j.epoch(), result, null);
    return true;
  }

  @Override
  public synchronized FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    maybeFail();
    if (!current(lease)) {
      return FailOutcome.STALE;
    }
    Job j = jobs.get(lease.jobId());
    backoffs.add(backoff);
    if (error.retryable() && j.attempts() < j.maxAttempts()) {
      put(j, JobStatus.QUEUED, j.attempts(), j.epoch(), null, error);
      return FailOutcome.REQUEUED;
    }
    put(j, JobStatus.FAILED, j.attempts(), j.epoch(), null, error);
    return FailOutcome.FAILED;
  }

  @Override
  public synchronized boolean release(Lease lease, String reason) {
    releases.add(lease.jobId());
    maybeFail();
    if (!current(lease)) {
      return false;
    }
    Job j = jobs.get(lease.jobId());
    put(j, JobStatus.QUEUED, j.attempts() - 1, j.epoch(), null, j.error());
    return true;
  }

  @Override
  public synchronized boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    releases.add(lease.jobId());
    maybeFail();
    if (!current(lease)) {
      return false;
    }
    Job j = jobs.get(lease.jobId());
    put(j, JobStatus.QUEUED, j.attempts() - 1, j.epoch(), null, error);
    return true;
  }

  @Override
  public synchronized Optional<JobStatus> status(UUID jobId) {
    maybeFail();
    return Optional.ofNullable(jobs.get(jobId)).map(Job::status);
  }

  @Override
  public synchronized boolean cancel(UUID jobId, String tenant) {
    Job j = jobs.get(jobId);
    if (j == null || JobStateMachine.next(j.status(), JobEvent.CANCEL).isEmpty()) {
      return false;
    }
    put(j, JobStatus.CANCELLED, j.attempts(), j.epoch(), null, null);
    return true;
  }

  @Override
  public synchronized Optional<Job> find(UUID jobId) {
    maybeFail();
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public Optional<Job> find(UUID jobId, String tenant) {
    return find(jobId).filter(j -> j.tenant().equals(tenant));
  }

  @Override
  public Submission submit(NewJob job, String idempotencyKey, String requestHash) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public BatchSummary submitBatch(NewBatch batch) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public Optional<BatchSummary> batch(UUID batchId, String tenant) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public List<Job> listBatchJobs(
      UUID batchId, String tenant, JobStatus status, int limit, UUID after) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public int cancelBatch(UUID batchId, String tenant) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  /** As the real store: back to queued with {@code attempts} reset to 0 (epoch unchanged). */
  @Override
  public synchronized int retry(UUID jobId, String tenant, boolean includeCancelled) {
    Job j = jobs.get(jobId);
    if (j == null
        || !(j.status() == JobStatus.FAILED
            || (includeCancelled && j.status() == JobStatus.CANCELLED))) {
      return 0;
    }
    put(j, JobStatus.QUEUED, 0, j.epoch(), null, null);
    return 1;
  }

  @Override
  public int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public List<UUID> reapExpiredLeases(Instant now, int limit) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public List<OutboxMessage> pendingOutbox(Instant now, int limit) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public void markPublished(List<Long> outboxIds) {
    throw new UnsupportedOperationException("not used by the worker");
  }

  @Override
  public List<TransitionRecord> history(UUID jobId) {
    throw new UnsupportedOperationException("not used by the worker");
  }
}
