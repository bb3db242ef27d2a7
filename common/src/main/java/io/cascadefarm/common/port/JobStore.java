package io.cascadefarm.common.port;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The source of truth for job state (PostgreSQL in production). Every state change is a conditional
 * update following {@link io.cascadefarm.common.job.JobStateMachine}, is recorded as a {@link
 * TransitionRecord}, and, where the job must (re)enter the queue, writes an outbox row in the same
 * transaction. Methods taking a {@code tenant} return nothing for another tenant's jobs.
 *
 * <p>The group methods ({@link #claimAll}, {@link #heartbeatAll}, {@link #sync}, {@link
 * #succeedAll}) serve a worker's render group: the real store runs each as one SQL statement for
 * the whole group. Their default bodies call the single-job methods, one call per job.
 */
public interface JobStore {

  /**
   * Inserts a queued job plus its outbox row. With a non-null {@code idempotencyKey}: the same key
   * and {@code requestHash} return the earlier job ({@code replayed}); the same key with another
   * hash throws {@link IdempotencyConflictException}.
   */
  Submission submit(NewJob job, String idempotencyKey, String requestHash);

  /** Inserts a batch and all its queued jobs and outbox rows in one transaction. */
  BatchSummary submitBatch(NewBatch batch);

  Optional<Job> find(UUID jobId, String tenant);

  /** Looks a job up regardless of tenant (workers and the relay). */
  Optional<Job> find(UUID jobId);

  Optional<BatchSummary> batch(UUID batchId, String tenant);

  /** Keyset page of a batch's jobs ordered by id; {@code after} null means from the start. */
  List<Job> listBatchJobs(UUID batchId, String tenant, JobStatus status, int limit, UUID after);

  /**
   * Claims a queued job whose backoff has passed: queued to running, epoch + 1, attempts + 1, lease
   * until now + {@code leaseTime}. Empty if the job is not claimable (already running elsewhere,
   * finished, cancelled, or still backing off).
   */
  Optional<Lease> claim(UUID jobId, String worker, Duration leaseTime);

  /**
   * Claims every claimable job of {@code jobIds} as {@link #claim} does and returns the claimed
   * ones, each with its lease and the job as the claim left it, in the order of {@code jobIds}.
   * Jobs that are not claimable are left out.
   */
  default List<ClaimedJob> claimAll(List<UUID> jobIds, String worker, Duration leaseTime) {
    List<ClaimedJob> out = new ArrayList<>();
    for (UUID id : jobIds) {
      Optional<Lease> lease = claim(id, worker, leaseTime);
      if (lease.isPresent()) {
        out.add(new ClaimedJob(lease.get(), find(id).orElseThrow()));
      }
    }
    return out;
  }

  /** Extends the lease; false if the lease is no longer current (stop rendering). */
  boolean heartbeat(Lease lease, Duration leaseTime);

  /** Records progress under the lease; false if the lease is no longer current. */
  boolean progress(Lease lease, JobProgress progress);

  /** Extends every lease as {@link #heartbeat} does; returns the jobs whose lease was extended. */
  default Set<UUID> heartbeatAll(List<Lease> leases, Duration leaseTime) {
    Set<UUID> renewed = new LinkedHashSet<>();
    for (Lease l : leases) {
      if (heartbeat(l, leaseTime)) {
        renewed.add(l.jobId());
      }
    }
    return renewed;
  }

  /**
   * Records {@code progress} (null: nothing) under every lease that is still current, and tells for
   * each lease where its job stands: {@link LeaseState#CURRENT} (running under this epoch), {@link
   * LeaseState#CANCELLED}, or {@link LeaseState#LOST} (anything else).
   */
  default Map<UUID, LeaseState> sync(List<Lease> leases, JobProgress progress) {
    Map<UUID, LeaseState> out = new LinkedHashMap<>();
    for (Lease l : leases) {
      if (progress != null && progress(l, progress)) {
        out.put(l.jobId(), LeaseState.CURRENT);
        continue;
      }
      Optional<Job> job = find(l.jobId());
      LeaseState state = LeaseState.LOST;
      if (job.isPresent() && job.get().status() == JobStatus.CANCELLED) {
        state = LeaseState.CANCELLED;
      } else if (job.isPresent()
          && job.get().status() == JobStatus.RUNNING
          && job.get().epoch() == l.epoch()) {
        state = LeaseState.CURRENT;
      }
      out.put(l.jobId(), state);
    }
    return out;
  }

  /** running to succeeded with the result; false if stale (another epoch, or cancelled). */
  boolean succeed(Lease lease, JobResult result);

  /** Succeeds every completion as {@link #succeed} does; returns the jobs that succeeded. */
  default Set<UUID> succeedAll(List<Completion> completions) {
    Set<UUID> done = new LinkedHashSet<>();
    for (Completion c : completions) {
      if (succeed(c.lease(), c.result())) {
        done.add(c.lease().jobId());
      }
    }
    return done;
  }

  /**
   * A failed attempt. Retryable with attempts left: back to queued, not claimable before now +
   * {@code backoff}, with an outbox row due at that time. Otherwise failed for good.
   */
  FailOutcome fail(Lease lease, JobError error, Duration backoff);

  /** A draining worker hands the job back (running to queued) without using up an attempt. */
  boolean release(Lease lease, String reason);

  /**
   * A dependency outage outlasted the attempt (storage unreachable for the whole retry budget):
   * hands the job back to queued without using up an attempt, records {@code error} as its last
   * error, claimable again after {@code delay}. The job waits for the dependency; it is never
   * failed for good by an outage. By default as {@link #release(Lease, String)}.
   */
  default boolean releaseAfterOutage(Lease lease, JobError error, Duration delay) {
    return release(lease, error.code() + ": " + error.message());
  }

  /** The current status, for cancellation checks between denoising steps. */
  Optional<JobStatus> status(UUID jobId);

  /** queued/running to cancelled. False if unknown, another tenant's, or already finished. */
  boolean cancel(UUID jobId, String tenant);

  /** Cancels every queued or running job of a batch; returns how many. */
  int cancelBatch(UUID batchId, String tenant);

  /** failed (and optionally cancelled) to queued, with a fresh attempt budget; returns how many. */
  int retry(UUID jobId, String tenant, boolean includeCancelled);

  int retryBatch(UUID batchId, String tenant, boolean includeCancelled);

  /**
   * Re-queues running jobs whose lease expired before {@code now} (or fails them when out of
   * attempts), at most {@code limit}; returns the affected job ids.
   */
  List<UUID> reapExpiredLeases(Instant now, int limit);

  /** Outbox rows due at {@code now}, oldest first, locked so concurrent relays skip them. */
  List<OutboxMessage> pendingOutbox(Instant now, int limit);

  /** Deletes published outbox rows. */
  void markPublished(List<Long> outboxIds);

  /** The recorded transitions of a job, oldest first. */
  List<TransitionRecord> history(UUID jobId);
}
