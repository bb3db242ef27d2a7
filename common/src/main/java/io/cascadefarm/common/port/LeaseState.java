package io.cascadefarm.common.port;

/** Where a running job stands for the worker holding a lease on it ({@link JobStore#sync}). */
public enum LeaseState {
  /** Still running under this lease: go on. */
  CURRENT,
  /** Cancelled by the user: stop, discard the results. */
  CANCELLED,
  /** Anything else (another epoch, re-queued, finished, gone): the results would not count. */
  LOST
}
