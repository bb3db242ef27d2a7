package io.cascadefarm.worker.queue;

/** What became of one message handed to a {@link GroupHandler}. */
public enum MessageOutcome {
  /**
   * The job is in a state the store owns (finished, re-queued with an outbox row, released, running
   * under a lease the reaper watches, or not claimable): the offset may be committed.
   */
  SETTLED,
  /** The store could not be reached: keep the message and try it again later. */
  RETRY_LATER
}
