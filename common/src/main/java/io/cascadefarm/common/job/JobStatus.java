package io.cascadefarm.common.job;

import java.util.Locale;

/** Where a job stands in its lifecycle. See {@link JobStateMachine} for the allowed moves. */
public enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The lower-case name used in JSON, SQL and URLs. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the wire name; throws {@link IllegalArgumentException} naming the bad value. */
  public static JobStatus fromWire(String value) {
    for (JobStatus s : values()) {
      if (s.wire().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown status '"
            + value
            + "' (expected queued, running, succeeded, failed or cancelled)");
  }

  /** Terminal states change only through an explicit user retry. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
