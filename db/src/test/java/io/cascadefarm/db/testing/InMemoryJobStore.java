package io.cascadefarm.db.testing;

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
import io.cascadefarm.db.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one in-memory {@link JobStore}, for tests of the dispatcher and the worker: the same state
 * machine, fencing, backoff, outbox and history as the PostgreSQL store, checked against it by
 * {@link JobStoreContractTest}. Every method is synchronized. Ids are ordered as PostgreSQL orders
 * uuids (bytewise). Time comes from the given clock (truncated to microseconds).
 *
 * <p>Test switches: {@link #down} makes every port call fail like a PostgreSQL outage, {@link
 * #failNextCalls} the next n calls; the helpers below the port methods set up states directly.
 */
public class InMemoryJobStore implements JobStore {
  /** Claims accept a backoff that ends within this margin, as the PostgreSQL store does. */
  public static final Duration CLAIM_CLOCK_TOLERANCE = Duration.ofSeconds(1);

  private static final JobError LEASE_EXPIRED =
      new JobError("lease_expired", "the worker's lease expired and no attempts are left", true);

  /** Jobs handed back with release or releaseAfterOutage, in order (recorded even on failure). */
  public final List<UUID> releases = Collections.synchronizedList(new ArrayList<>());

  /** While true, every port call throws {@link StoreUnavailableException}. */
  public final AtomicBoolean down = new AtomicBoolean();

  private record Row(Job job, Instant notBefore) {}

  private record Outbox(long id, UUID jobId, Instant availableAt) {}

  private record BatchRow(
      UUID id, String tenant, int jobCount, Map<String, Object> metadata, Instant createdAt) {}

  private final Clock clock;
  private final Duration outboxClaimTime;
  private final TreeMap<UUID, Row> jobs = new TreeMap<>(Comparator.comparing(UUID::toString));
  private final Map<UUID, BatchRow> batches = new HashMap<>();
  private final Map<String, String[]> idempotency = new HashMap<>();
  private final TreeMap<Long, Outbox> outbox = new TreeMap<>();
  private final Map<UUID, List<TransitionRecord>> transitions = new HashMap<>();
  private final List<Duration> backoffs = new ArrayList<>();
  private final List<JobProgress> progress = new ArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private long outboxSeq;
  private volatile boolean heartbeatsRefused;

  /** On the system clock; a relay's rows are due again at once if not marked published. */
  public InMemoryJobStore() {
    this(Clock.systemUTC(), Duration.ZERO);
  }

  /**
   * @param outboxClaimTime how long {@link #pendingOutbox} hides the rows it returned
   */
  public InMemoryJobStore(Clock clock, Duration outboxClaimTime) {
    this.clock = clock;
    this.outboxClaimTime = outboxClaimTime;
  }

  // ---------------------------------------------------------------- submission and reads

  @Override
  public synchronized Submission submit(NewJob job, String idempotencyKey, String requestHash) {
    check();
    job.requireValidFor(job.tenant());
    if (idempotencyKey != null && requestHash == null) {
      throw new IllegalArgumentException("requestHash is required with an idempotency key");
    }
    String key = job.tenant() + "\u0000" + idempotencyKey;
    if (idempotencyKey != null && idempotency.containsKey(key)) {
      String[] earlier = idempotency.get(key);
      if (!earlier[0].equals(requestHash)) {
        throw new IdempotencyConflictException(idempotencyKey);
      }
      return new Submission(jobs.get(UUID.fromString(earlier[1])).job(), true);
    }
    if (jobs.containsKey(job.id())) {
      throw new IllegalArgumentException("job id " + job.id() + " already exists");
    }
    Instant now = now();
    insert(job, null, now);
    if (idempotencyKey != null) {
      idempotency.put(key, new String[] {requestHash, job.id().toString()});
    }
    return new Submission(jobs.get(job.id()).job(), false);
  }

  @Override
  public synchronized BatchSummary submitBatch(NewBatch batch) {
    check();
    batch.jobs().forEach(j -> j.requireValidFor(batch.tenant()));
    Set<UUID> ids = new LinkedHashSet<>();
    boolean clash = batches.containsKey(batch.id());
    for (NewJob j : batch.jobs()) {
      clash |= jobs.containsKey(j.id()) || !ids.add(j.id());
    }
    if (clash) {
      throw new IllegalArgumentException(
          "batch " + batch.id() + " or one of its job ids already exists");
    }
    Instant now = now();
    int n = batch.jobs().size();
    batches.put(batch.id(), new BatchRow(batch.id(), batch.tenant(), n, batch.metadata(), now));
    batch.jobs().forEach(j -> insert(j, batch.id(), now));
    return summary(batches.get(batch.id()));
  }

  private void insert(NewJob n, UUID batchId, Instant now) {
    Job job =
        new Job(
            n.id(),
            batchId,
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
    jobs.put(n.id(), new Row(job, now));
    enqueue(n.id(), now);
  }

  @Override
  public synchronized Optional<Job> find(UUID jobId, String tenant) {
    check();
    return Optional.ofNullable(jobs.get(jobId))
        .map(Row::job)
        .filter(j -> tenant == null || j.tenant().equals(tenant));
  }

  @Override
  public synchronized Optional<Job> find(UUID jobId) {
    return find(jobId, null);
  }

  @Override
  public synchronized Optional<BatchSummary> batch(UUID batchId, String tenant) {
    check();
    return Optional.ofNullable(batches.get(batchId))
        .filter(b -> b.tenant().equals(tenant))
        .map(this::summary);
  }

  private BatchSummary summary(BatchRow b) {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, 0);
    }
    jobs.values().stream()
        .map(Row::job)
        .filter(j -> b.id().equals(j.batchId()))
        .forEach(j -> counts.merge(j.status(), 1, Integer::sum));
    return new BatchSummary(b.id(), b.tenant(), b.jobCount(), counts, b.metadata(), b.createdAt());
  }

  @Override
  public synchronized List<Job> listBatchJobs(
      UUID batchId, String tenant, JobStatus status, int limit, UUID after) {
    check();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<Job> out = new ArrayList<>();
    for (Row r : (after == null ? jobs : jobs.tailMap(after, false)).values()) {
      Job j = r.job();
      if (batchId.equals(j.batchId())
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

  @Override
  public synchronized Optional<JobStatus> status(UUID jobId) {
    check();
    return Optional.ofNullable(jobs.get(jobId)).map(r -> r.job().status());
  }

  @Override
  public synchronized List<TransitionRecord> history(UUID jobId) {
    check();
    Row r = jobs.get(jobId);
    if (r == null) {
      return List.of();
    }
    List<TransitionRecord> out = new ArrayList<>();
    out.add(
        new TransitionRecord(
            jobId, null, JobStatus.QUEUED, null, r.job().createdAt(), null, "submitted"));
    out.addAll(transitions.getOrDefault(jobId, List.of()));
    return out;
  }

  // ---------------------------------------------------------------- worker writes

  @Override
  public synchronized Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime) {
    return claimAll(List.of(jobId), worker, leaseTime).stream().findFirst().map(ClaimedJob::lease);
  }

  @Override
  public synchronized List<ClaimedJob> claimAll(
      List<UUID> jobIds, String worker, Duration leaseTime) {
    check();
    Instant now = now();
    Instant until = now.plus(leaseTime);
    List<ClaimedJob> out = new ArrayList<>();
    for (UUID id : new LinkedHashSet<>(jobIds)) {
      Row r = jobs.get(id);
      if (r == null || r.notBefore().isAfter(now.plus(CLAIM_CLOCK_TOLERANCE))) {
        continue;
      }
      Job j = r.job();
      boolean moved =
          move(
              id,
              JobEvent.CLAIM,
              now,
              worker,
              null,
              e -> {
                e.attempts = j.attempts() + 1;
                e.epoch = j.epoch() + 1;
                e.worker = worker;
                e.leaseExpiresAt = until;
                e.startedAt = now;
                e.progress = null;
              });
      if (moved) {
        Job claimed = jobs.get(id).job();
        out.add(
            new ClaimedJob(
                new Lease(id, worker, claimed.epoch(), claimed.attempts(), until), claimed));
      }
    }
    return out;
  }

  @Override
  public synchronized boolean heartbeat(Lease lease, Duration leaseTime) {
    check();
    return renew(lease, leaseTime);
  }

  private boolean renew(Lease lease, Duration leaseTime) {
    if (heartbeatsRefused || !current(lease)) {
      return false;
    }
    Instant now = now();
    edit(
        lease.jobId(),
        e -> {
          e.leaseExpiresAt = now.plus(leaseTime);
          e.updatedAt = now;
        });
    return true;
  }

  @Override
  public synchronized Set<UUID> heartbeatAll(List<Lease> leases, Duration leaseTime) {
    check();
    Set<UUID> renewed = new LinkedHashSet<>();
    for (Lease l : leases) {
      if (renew(l, leaseTime)) {
        renewed.add(l.jobId());
      }
    }
    return renewed;
  }

  @Override
  public synchronized boolean progress(Lease lease, JobProgress p) {
    check();
    return writeProgress(lease, p);
  }

  private boolean writeProgress(Lease lease, JobProgress p) {
    if (!current(lease)) {
      return false;
    }
    Instant now = now();
    edit(
        lease.jobId(),
        e -> {
          e.progress = p;
          e.updatedAt = now;
        });
    progress.add(p);
    return true;
  }

  @Override
  public synchronized Map<UUID, LeaseState> sync(List<Lease> leases, JobProgress p) {
    check();
    Map<UUID, LeaseState> out = new LinkedHashMap<>();
    for (Lease l : leases) {
      Row r = jobs.get(l.jobId());
      LeaseState state = LeaseState.LOST;
      if (r != null && r.job().status() == JobStatus.CANCELLED) {
        state = LeaseState.CANCELLED;
      } else if (current(l)) {
        state = LeaseState.CURRENT;
        if (p != null) {
          writeProgress(l, p);
        }
      }
      out.put(l.jobId(), state);
    }
    return out;
  }

  @Override
  public synchronized boolean succeed(Lease lease, JobResult result) {
    return succeedAll(List.of(new Completion(lease, result))).contains(lease.jobId());
  }

  @Override
  public synchronized Set<UUID> succeedAll(List<Completion> completions) {
    check();
    Instant now = now();
    Set<UUID> done = new LinkedHashSet<>();
    for (Completion c : completions) {
      Lease l = c.lease();
      if (current(l)
          && move(
              l.jobId(),
              JobEvent.SUCCEED,
              now,
              l.worker(),
              null,
              e -> {
                e.result = c.result();
                e.error = null;
                e.leaseExpiresAt = null;
                e.finishedAt = now;
              })) {
        done.add(l.jobId());
      }
    }
    return done;
  }

  @Override
  public synchronized FailOutcome fail(Lease lease, JobError error, Duration backoff) {
    check();
    if (!current(lease)) {
      return FailOutcome.STALE;
    }
    backoffs.add(backoff);
    Instant now = now();
    Job j = jobs.get(lease.jobId()).job();
    if (error.retryable() && j.attempts() < j.maxAttempts()) {
      move(
          j.id(),
          JobEvent.REQUEUE,
          now,
          lease.worker(),
          error.code(),
          e -> {
            e.error = error;
            e.leaseExpiresAt = null;
            e.notBefore = now.plus(backoff);
          });
      return FailOutcome.REQUEUED;
    }
    move(
        j.id(),
        JobEvent.FAIL,
        now,
        lease.worker(),
        error.code(),
        e -> {
          e.error = error;
          e.leaseExpiresAt = null;
          e.finishedAt = now;
        });
    return FailOutcome.FAILED;
  }

  @Override
  public synchronized boolean release(Lease lease, String reason) {
    releases.add(lease.jobId());
    check();
    return handBack(lease, reason, null, Duration.ZERO);
  }

  @Override
  public synchronized boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    releases.add(lease.jobId());
    check();
    return handBack(lease, error.code(), error, delay);
  }

  private boolean handBack(Lease lease, String reason, JobError error, Duration delay) {
    if (!current(lease)) {
      return false;
    }
    Instant now = now();
    Job j = jobs.get(lease.jobId()).job();
    return move(
        j.id(),
        JobEvent.RELEASE,
        now,
        lease.worker(),
        reason,
        e -> {
          e.attempts = Math.max(j.attempts() - 1, 0);
          e.leaseExpiresAt = null;
          if (error != null) {
            e.error = error;
          }
          e.notBefore = now.plus(delay);
          e.progress = null;
        });
  }

  // ---------------------------------------------------------------- user commands

  @Override
  public synchronized boolean cancel(UUID jobId, String tenant) {
    check();
    return cancelIf(jobId, tenant);
  }

  @Override
  public synchronized int cancelBatch(UUID batchId, String tenant) {
    check();
    int n = 0;
    for (Job j : batchJobs(batchId, tenant)) {
      n += cancelIf(j.id(), tenant) ? 1 : 0;
    }
    return n;
  }

  private boolean cancelIf(UUID jobId, String tenant) {
    Row r = jobs.get(jobId);
    if (r == null || !r.job().tenant().equals(tenant)) {
      return false;
    }
    Instant now = now();
    return move(
        jobId,
        JobEvent.CANCEL,
        now,
        null,
        "cancelled by the user",
        e -> {
          e.leaseExpiresAt = null;
          e.finishedAt = now;
        });
  }

  @Override
  public synchronized int retry(UUID jobId, String tenant, boolean includeCancelled) {
    check();
    return retryIf(jobId, tenant, includeCancelled) ? 1 : 0;
  }

  @Override
  public synchronized int retryBatch(UUID batchId, String tenant, boolean includeCancelled) {
    check();
    int n = 0;
    for (Job j : batchJobs(batchId, tenant)) {
      n += retryIf(j.id(), tenant, includeCancelled) ? 1 : 0;
    }
    return n;
  }

  private boolean retryIf(UUID jobId, String tenant, boolean includeCancelled) {
    Row r = jobs.get(jobId);
    if (r == null || !r.job().tenant().equals(tenant)) {
      return false;
    }
    JobStatus s = r.job().status();
    if (s != JobStatus.FAILED && !(includeCancelled && s == JobStatus.CANCELLED)) {
      return false;
    }
    Instant now = now();
    return move(
        jobId,
        JobEvent.RETRY,
        now,
        null,
        "retried by the user",
        e -> {
          e.attempts = 0;
          e.notBefore = now;
          e.error = null;
          e.result = null;
          e.progress = null;
          e.finishedAt = null;
          e.startedAt = null;
          e.leaseExpiresAt = null;
          e.worker = null;
        });
  }

  private List<Job> batchJobs(UUID batchId, String tenant) {
    return jobs.values().stream()
        .map(Row::job)
        .filter(j -> batchId.equals(j.batchId()) && j.tenant().equals(tenant))
        .toList();
  }

  // ---------------------------------------------------------------- reaper and relay

  @Override
  public synchronized List<UUID> reapExpiredLeases(Instant now, int limit) {
    check();
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    List<Job> expired =
        jobs.values().stream()
            .map(Row::job)
            .filter(
                j ->
                    j.status() == JobStatus.RUNNING
                        && j.leaseExpiresAt() != null
                        && j.leaseExpiresAt().isBefore(at))
            .sorted(Comparator.comparing(Job::leaseExpiresAt))
            .toList();
    List<UUID> reaped = new ArrayList<>();
    for (Job j : expired) {
      if (reaped.size() < limit && j.attempts() < j.maxAttempts()) {
        move(
            j.id(),
            JobEvent.LEASE_EXPIRED,
            at,
            null,
            "lease_expired",
            e -> {
              e.leaseExpiresAt = null;
              e.notBefore = at;
              e.progress = null;
            });
        reaped.add(j.id());
      }
    }
    for (Job j : expired) {
      if (reaped.size() < limit && j.attempts() >= j.maxAttempts()) {
        move(
            j.id(),
            JobEvent.FAIL,
            at,
            null,
            "lease_expired",
            e -> {
              e.error = LEASE_EXPIRED;
              e.leaseExpiresAt = null;
              e.finishedAt = at;
            });
        reaped.add(j.id());
      }
    }
    return reaped;
  }

  @Override
  public synchronized List<OutboxMessage> pendingOutbox(Instant now, int limit) {
    check();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    List<Outbox> due =
        outbox.values().stream()
            .filter(o -> !o.availableAt().isAfter(at))
            .sorted(Comparator.comparing(Outbox::availableAt).thenComparing(Outbox::id))
            .limit(limit)
            .toList();
    for (Outbox o : due) {
      outbox.put(o.id(), new Outbox(o.id(), o.jobId(), at.plus(outboxClaimTime)));
    }
    return due.stream().map(o -> new OutboxMessage(o.id(), o.jobId())).toList();
  }

  @Override
  public synchronized void markPublished(List<Long> outboxIds) {
    check();
    outboxIds.forEach(outbox::remove);
  }

  // ---------------------------------------------------------------- test helpers

  /** Adds a queued job of tenant {@code t1} with {@code params} resolved (seed 42). */
  public synchronized UUID add(JobParams params, int maxAttempts) {
    UUID id = UUID.randomUUID();
    insert(new NewJob(id, "t1", JobDefaults.resolve(params, () -> 42L), maxAttempts), null, now());
    return id;
  }

  /** The job as stored, or null (no failure injection). */
  public synchronized Job get(UUID id) {
    Row r = jobs.get(id);
    return r == null ? null : r.job();
  }

  /** Makes the next {@code n} port calls fail like a PostgreSQL outage (0: none). */
  public void failNextCalls(int n) {
    failNext.set(n);
  }

  /** From now on every heartbeat is refused, as if the lease had been lost. */
  public void refuseHeartbeats() {
    heartbeatsRefused = true;
  }

  /** The backoffs {@link #fail} was called with, in order. */
  public synchronized List<Duration> backoffs() {
    return List.copyOf(backoffs);
  }

  /** Every progress written under a current lease, in order. */
  public synchronized List<JobProgress> progressLog() {
    return List.copyOf(progress);
  }

  public synchronized int outboxSize() {
    return outbox.size();
  }

  /** As if the reaper re-queued the job and another worker claimed it: a new epoch. */
  public synchronized void steal(UUID id) {
    Job j = get(id);
    edit(
        id,
        e -> {
          e.status = JobStatus.RUNNING;
          e.attempts = j.attempts() + 1;
          e.epoch = j.epoch() + 1;
          e.worker = "another-worker";
        });
  }

  /** Forces a running job's lease into the past (for the reaper). */
  public synchronized void expireLease(UUID id) {
    edit(id, e -> e.leaseExpiresAt = now().minusSeconds(1));
  }

  /**
   * Moves a job by {@code event} as the state machine allows (a CLAIM by {@code test-worker} with a
   * 30 s lease), setting {@code result} and {@code error} when given; false if not allowed.
   */
  public synchronized boolean move(UUID id, JobEvent event, JobResult result, JobError error) {
    Job j = get(id);
    Instant now = now();
    return move(
        id,
        event,
        now,
        event == JobEvent.CLAIM ? "test-worker" : null,
        "test",
        e -> {
          if (event == JobEvent.CLAIM) {
            e.attempts = j.attempts() + 1;
            e.epoch = j.epoch() + 1;
            e.worker = "test-worker";
            e.leaseExpiresAt = now.plusSeconds(30);
            e.startedAt = now;
          } else if (event == JobEvent.RETRY) {
            e.attempts = 0;
          }
          if (JobStateMachine.targetOf(event).isTerminal()) {
            e.finishedAt = now;
            e.leaseExpiresAt = null;
          }
          if (result != null) {
            e.result = result;
          }
          if (error != null) {
            e.error = error;
          }
        });
  }

  // ---------------------------------------------------------------- internals

  private void check() {
    if (down.get() || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new StoreUnavailableException(
          "database unavailable: connection refused (simulated PostgreSQL outage)", null);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private boolean current(Lease l) {
    Row r = jobs.get(l.jobId());
    return r != null && r.job().status() == JobStatus.RUNNING && r.job().epoch() == l.epoch();
  }

  private void enqueue(UUID jobId, Instant at) {
    long id = ++outboxSeq;
    outbox.put(id, new Outbox(id, jobId, at));
  }

  /**
   * The store's transition: allowed by the state machine from the job's status, applies {@code
   * change}, logs it, and keeps the outbox in step (a row due at not_before when the job entered
   * the queue, none once it left it).
   */
  private boolean move(
      UUID id, JobEvent event, Instant now, String worker, String reason, UnaryEdit change) {
    Row r = jobs.get(id);
    if (r == null) {
      return false;
    }
    Optional<JobStatus> to = JobStateMachine.next(r.job().status(), event);
    if (to.isEmpty()) {
      return false;
    }
    JobStatus from = r.job().status();
    edit(
        id,
        e -> {
          e.status = to.get();
          e.updatedAt = now;
          change.apply(e);
        });
    transitions
        .computeIfAbsent(id, k -> new ArrayList<>())
        .add(new TransitionRecord(id, from, to.get(), event, now, worker, reason));
    if (to.get() == JobStatus.QUEUED) {
      enqueue(id, jobs.get(id).notBefore());
    } else {
      outbox.values().removeIf(o -> o.jobId().equals(id));
    }
    return true;
  }

  @FunctionalInterface
  private interface UnaryEdit {
    void apply(Edit e);
  }

  private void edit(UUID id, UnaryEdit change) {
    Row r = jobs.get(id);
    Edit e = new Edit(r);
    change.apply(e);
    jobs.put(id, e.row());
  }

  /** The mutable fields of a stored job while it is changed. */
  private static final class Edit {
    private final Job j;
    JobStatus status;
    int attempts;
    long epoch;
    JobProgress progress;
    JobResult result;
    JobError error;
    String worker;
    Instant leaseExpiresAt;
    Instant updatedAt;
    Instant startedAt;
    Instant finishedAt;
    Instant notBefore;

    Edit(Row r) {
      this.j = r.job();
      status = j.status();
      attempts = j.attempts();
      epoch = j.epoch();
      progress = j.progress();
      result = j.result();
      error = j.error();
      worker = j.worker();
      leaseExpiresAt = j.leaseExpiresAt();
      updatedAt = j.updatedAt();
      startedAt = j.startedAt();
      finishedAt = j.finishedAt();
      notBefore = r.notBefore();
    }

    Row row() {
      return new Row(
          new Job(
              j.id(),
              j.batchId(),
              j.tenant(),
              status,
              j.params(),
              attempts,
              j.maxAttempts(),
              epoch,
              progress,
              result,
              error,
              worker,
              leaseExpiresAt,
              j.createdAt(),
              updatedAt,
              startedAt,
              finishedAt),
          notBefore);
    }
  }
}
