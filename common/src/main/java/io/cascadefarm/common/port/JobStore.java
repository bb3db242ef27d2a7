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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The source of truth for job state (PostgreSQL in production). Every state change is a conditional
 * update following {@link io.cascadefarm.common.job.JobStateMachine}, is recorded as a {@link
 * TransitionRecord}, and, where the job must (re)enter the queue, writes an outbox row in the same
 * transaction. Methods taking a {@code tenant} return nothing for another tenant's jobs.
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

  /** Extends the lease; false if the lease is no longer current (stop rendering). */
  boolean heartbeat(Lease lease, Duration leaseTime);

  /** Records progress under the lease; false if the lease is no longer current. */
  boolean progress(Lease lease, JobProgress progress);

  /** running to succeeded with the result; false if stale (another epoch, or cancelled). */
  boolean succeed(Lease lease, JobResult result);

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
