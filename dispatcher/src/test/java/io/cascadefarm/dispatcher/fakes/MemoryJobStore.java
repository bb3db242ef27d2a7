package io.cascadefarm.dispatcher.fakes;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStateMachine;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.common.port.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synchronized in-memory {@link JobStore} following the state machine, with an outbox and a
 * switch that makes every call fail like a PostgreSQL outage.
 */
public class MemoryJobStore implements JobStore {
  private final TreeMap<UUID, Job> jobs = new TreeMap<>();
  private final Map<UUID, BatchSummary> batches = new HashMap<>();
  private final Map<String, String[]> idempotency = new HashMap<>();
  private final TreeMap<Long, OutboxMessage> outbox = new TreeMap<>();
  private final AtomicLong outboxSeq = new AtomicLong();
  public final AtomicBoolean down = new AtomicBoolean();

  private void check() {
    if (down.get()) {
      throw new io.cascadefarm.db.StoreUnavailableException(
          "connection refused (simulated PostgreSQL outage)", null);
    }
  }

  private Job newJob(NewJob n, UUID batch) {
    Instant now = Instant.now();
    return new Job(
        n.id(),
        batch,
        n.tenant(),
        JobStatus.QUEUED,
        n.params(),
        0,
        n.maxAttempts(),
        0,
        null,
        null,
        null,
        null,
        null,
        now,
        now,
        null,
        null);
  }

  private void enqueue(UUID job) {
    long id = outboxSeq.incrementAndGet();
    outbox.put(id, new OutboxMessage(id, job));
  }

  @Override
  public synchronized Submission submit(NewJob job, String key, String hash) {
    check();
    if (key != null) {
      String[] prev = idempotency.get(job.tenant() + "/" + key);
      if (prev != null) {
        if (!prev[1].equals(hash)) {
          throw new IdempotencyConflictException(key);
        }
        return new Submission(jobs.get(UUID.fromString(prev[0])), true);
      }
      idempotency.put(job.tenant() + "/" + key, new String[] {job.id().toString(), hash});
    }
    jobs.put(job.id(), newJob(job, null));
    enqueue(job.id());
    return new Submission(jobs.get(job.id()), false);
  }

  @Override
  public synchronized BatchSummary submitBatch(NewBatch batch) {
    check();
    for (NewJob n : batch.jobs()) {
      jobs.put(n.id(), newJob(n, batch.id()));
      enqueue(n.id());
    }
    BatchSummary b =
        new BatchSummary(
            batch.id(),
            batch.tenant(),
            batch.jobs().size(),
            Map.of(),
            batch.metadata(),
            Instant.now());
    batches.put(batch.id(), b);
    return summary(b);
  }

  private BatchSummary summary(BatchSummary b) {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    jobs.values().stream()
        .filter(j -> b.id().equals(j.batchId()))
        .forEach(j -> counts.merge(j.status(), 1, Integer::sum));
    return new BatchSummary(b.id(), b.tenant(), b.jobCount(), counts, b.metadata(), b.createdAt());
  }

  @Override
  public synchronized Optional<Job> find(UUID id, String tenant) {
    check();
    return Optional.ofNullable(jobs.get(id)).filter(j -> j.tenant().equals(tenant));
  }

  @Override
  public synchronized Optional<Job> find(UUID id) {
    check();
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized Optional<BatchSummary> batch(UUID id, String tenant) {
    check();
    return Optional.ofNullable(batches.get(id))
        .filter(b -> b.tenant().equals(tenant))
        .map(this::summary);
  }

  @Override
  public synchronized List<Job> listBatchJobs(
      UUID batch, String tenant, JobStatus status, int limit, UUID after) {
    check();
    List<Job> out = new ArrayList<>();
    for (Job j : (after == null ? jobs : jobs.tailMap(after, false)).values()) {
      if (batch.equals(j.batchId())
          && j.tenant().equals(tenant)
          && (status == null || j.status() == status)) {
        out.add(j);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  /** Moves a job by event (test helper), returning false when the move is not allowed. */
  public synchronized boolean move(UUID id, JobEvent event, JobResult result, JobError error) {
    Job j = jobs.get(id);
    Optional<JobStatus> to = JobStateMachine.next(j.status(), event);
    if (to.isEmpty()) {
      return false;
    }
    int attempts =
        event == JobEvent.CLAIM ? j.attempts() + 1 : event == JobEvent.RETRY ? 0 : j.attempts();
    long epoch = event == JobEvent.CLAIM ? j.epoch() + 1 : j.epoch();
    Instant now = Instant.now();
    jobs.put(
        id,
        new Job(
            j.id(),
            j.batchId(),
            j.tenant(),
            to.get(),
            j.params(),
            attempts,
            j.maxAttempts(),
            epoch,
            j.progress(),
            result != null ? result : j.result(),
            error != null ? error : j.error(),
            event == JobEvent.CLAIM ? "test-worker" : j.worker(),
            event == JobEvent.CLAIM ? now.plusSeconds(30) : null,
            j.createdAt(),
            now,
            event == JobEvent.CLAIM ? now : j.startedAt(),
            to.get().isTerminal() ? now : null));
    if (to.get() == JobStatus.QUEUED) {
      enqueue(id);
    }
    return true;
  }

  @Override
  public Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime) {
    check();
    if (!move(jobId, JobEvent.CLAIM, null, null)) {
      return Optional.empty();
    }
    Job j = jobs.get(jobId);
    return Optional.of(new Lease(jobId, worker, j.epoch(), j.attempts(), j.leaseExpiresAt()));
  }

  @Override
  public boolean heartbeat(Lease lease, Duration leaseTime) {
    return true;
  }

  @Override
  public boolean progress(Lease lease, JobProgress progress) {
    return true;
  }

  @Override
  public boolean succeed(Lease lease, JobResult result) {
    return move(lease.jobId(), JobEvent.SUCCEED, result, null);
  }

  @Override
  public FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    return move(lease.jobId(), JobEvent.FAIL, null, error) ? FailOutcome.FAILED : FailOutcome.STALE;
  }

  @Override
  public boolean release(Lease lease, String reason) {
    return move(lease.jobId(), JobEvent.RELEASE, null, null);
  }

  @Override
  public synchronized Optional<JobStatus> status(UUID jobId) {
    check();
    return Optional.ofNullable(jobs.get(jobId)).map(Job::status);
  }

  @Override
  public synchronized boolean cancel(UUID jobId, String tenant) {
    check();
    return find(jobId, tenant).isPresent() && move(jobId, JobEvent.CANCEL, null, null);
  }

  @Override
  public synchronized int cancelBatch(UUID batchId, String tenant) {
    check();
    return (int)
        listBatchJobs(batchId, tenant, null, Integer.MAX_VALUE, null).stream()
            .filter(j -> move(j.id(), JobEvent.CANCEL, null, null))
            .count();
  }

  @Override
  public synchronized int retry(UUID jobId, String tenant, boolean includeCancelled) {
    check();
    Optional<Job> j = find(jobId, tenant);
    if (j.isEmpty()
        || !(j.get().status() == JobStatus.FAILED
            || includeCancelled && j.get().status() == JobStatus.CANCELLED)) {
      return 0;
    }
    return move(jobId, JobEvent.RETRY, null, null) ? 1 : 0;
  }

  @Override
  public synchronized int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    check();
    return listBatchJobs(batchId, tenant, null, Integer.MAX_VALUE, null).stream()
        .mapToInt(j -> retry(j.id(), tenant, includeCancelled))
        .sum();
  }

  @Override
  public synchronized List<UUID> reapExpiredLeases(Instant now, int limit) {
    check();
    List<UUID> out = new ArrayList<>();
    for (Job j : new ArrayList<>(jobs.values())) {
      if (j.status() == JobStatus.RUNNING
          && j.leaseExpiresAt() != null
          && j.leaseExpiresAt().isBefore(now)
          && out.size() < limit) {
        // like the real store: out of attempts means failed for good, not re-queued
        if (j.attempts() >= j.maxAttempts()) {
          move(j.id(), JobEvent.FAIL, null, new JobError("lease_expired", "lease expired", true));
        } else {
          move(j.id(), JobEvent.LEASE_EXPIRED, null, null);
        }
        out.add(j.id());
      }
    }
    return out;
  }

  @Override
  public synchronized List<OutboxMessage> pendingOutbox(Instant now, int limit) {
    check();
    return outbox.values().stream().limit(limit).toList();
  }

  @Override
  public synchronized void markPublished(List<Long> ids) {
    check();
    ids.forEach(outbox::remove);
  }

  public synchronized int outboxSize() {
    return outbox.size();
  }

  /** Forces a running job's lease into the past (test helper for the reaper). */
  public synchronized void expireLease(UUID id) {
    Job j = jobs.get(id);
    jobs.put(
        id,
        new Job(
            j.id(),
            j.batchId(),
            j.tenant(),
            j.status(),
            j.params(),
            j.attempts(),
            j.maxAttempts(),
            j.epoch(),
            j.progress(),
            j.result(),
            j.error(),
            j.worker(),
            Instant.now().minusSeconds(1),
            j.createdAt(),
            j.updatedAt(),
            j.startedAt(),
            j.finishedAt()));
  }

  @Override
  public List<TransitionRecord> history(UUID jobId) {
    return List.of();
  }
}
