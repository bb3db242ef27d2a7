package io.cascadefarm.common.port;

import io.cascadefarm.common.contract.BatchEnvelope;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Listing and queue queries of issue 12 (PostgreSQL: {@code db.ListingQueries}): a tenant's jobs
 * and batches newest first with keyset pagination and filters, a batch's own settings, and the
 * figures of a queued job's position. Reads only; every method is scoped to one tenant except the
 * farm-wide queue figures.
 */
public interface JobListing {

  /** Keyset position: the (created_at, id) of the last row of the previous page. */
  record Cursor(Instant createdAt, UUID id) {}

  /**
   * Filters of {@code GET /v1/jobs}; null fields do not filter. {@code labels} must all match.
   * {@code createdFrom} is inclusive, {@code createdTo} exclusive.
   */
  record JobFilter(
      String tenant,
      JobStatus status,
      UUID batchId,
      Map<String, String> labels,
      Instant createdFrom,
      Instant createdTo) {
    public JobFilter {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  /** Filters of {@code GET /v1/batches}; {@code status} is a {@link BatchStatus} or null. */
  record BatchFilter(String tenant, BatchStatus status, Map<String, String> labels) {
    public BatchFilter {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  /**
   * A batch's status from its job counts: queued (no job started or finished), running (some jobs
   * unfinished, some started or finished), and once every job is final: succeeded (all), failed
   * (any failed), cancelled (none failed, some cancelled).
   */
  enum BatchStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static BatchStatus of(Map<JobStatus, Integer> counts) {
      int q = counts.getOrDefault(JobStatus.QUEUED, 0);
      int r = counts.getOrDefault(JobStatus.RUNNING, 0);
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      if (q + r > 0) {
        return q == total ? QUEUED : RUNNING;
      }
      if (counts.getOrDefault(JobStatus.FAILED, 0) > 0) {
        return FAILED;
      }
      return counts.getOrDefault(JobStatus.CANCELLED, 0) > 0 ? CANCELLED : SUCCEEDED;
    }
  }

  /** A batch of a listing: its counts and its envelope settings. */
  record BatchRow(BatchSummary summary, BatchEnvelope options) {
    public BatchStatus status() {
      return BatchStatus.of(summary.counts());
    }
  }

  /** The figures of a queued job's place in the farm-wide queue. */
  record QueueFigures(long ahead, long finishedRecently) {}

  List<Job> jobs(JobFilter filter, Cursor after, int limit);

  List<BatchRow> batches(BatchFilter filter, Cursor after, int limit);

  /** Stores a batch's envelope settings (before its jobs are inserted; idempotent). */
  void saveBatchOptions(UUID batchId, String tenant, BatchEnvelope options, Instant now);

  Optional<BatchEnvelope> batchOptions(UUID batchId, String tenant);

  /**
   * Queued jobs of the whole farm that run before job {@code jobId} of lane {@code priority} (null:
   * normal) by the lane order (high, then normal and low by their effective time: a low job's is
   * its submit time plus {@code lowAgingMillis}), counted up to {@code cap}.
   */
  long queuedAhead(UUID jobId, String priority, long lowAgingMillis, long cap);

  /** Jobs of the whole farm that succeeded or failed since {@code since}. */
  long finishedSince(Instant since);
}
