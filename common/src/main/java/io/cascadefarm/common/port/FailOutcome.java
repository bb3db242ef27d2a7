package io.cascadefarm.common.port;

/** What {@link JobStore#fail} did with the job. */
public enum FailOutcome {
  /** Put back in the queue for another attempt after the backoff. */
  REQUEUED,
  /**
   * Marked failed for good (not retryable, or out of attempts): send it to the dead-letter topic.
   */
  FAILED,
  /**
   * Nothing: the lease was no longer current (another worker owns the job, or it was cancelled).
   */
  STALE
}
