package io.cascadefarm.common.job;

import java.util.Locale;

/** What happened to a job; each event moves it along one row of the {@link JobStateMachine}. */
public enum JobEvent {
  /** A worker took the lease on a queued job (a new fencing epoch). */
  CLAIM,
  /** The worker uploaded the results and completed the job. */
  SUCCEED,
  /** The job failed for good: not retryable, or out of attempts. */
  FAIL,
  /** A retryable failure: the job goes back to the queue after a backoff. */
  REQUEUE,
  /** A draining worker handed an unfinished job back without using up an attempt. */
  RELEASE,
  /** The reaper found the lease expired (the worker died or hung) and re-queued the job. */
  LEASE_EXPIRED,
  /** A user cancelled the job. */
  CANCEL,
  /** A user re-queued a failed or cancelled job. */
  RETRY;

  /** The lower-case name used in JSON and SQL. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
