package io.cascadefarm.common.job;

/** A move the {@link JobStateMachine} does not allow, e.g. cancelling a succeeded job. */
public final class IllegalTransitionException extends RuntimeException {
  private final JobStatus from;
  private final JobEvent event;

  public IllegalTransitionException(JobStatus from, JobEvent event) {
    super("a job that is " + from.wire() + " cannot take event " + event.wire());
    this.from = from;
    this.event = event;
  }

  public JobStatus from() {
    return from;
  }

  public JobEvent event() {
    return event;
  }
}
