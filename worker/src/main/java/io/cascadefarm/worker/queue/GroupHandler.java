package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import java.util.Collections;
import java.util.List;

/**
 * Renders one group of compatible job messages. A group is first {@link #prepare prepared} (on the
 * poll loop's prepare thread), then {@link Prepared#render rendered} (on the render thread); a
 * handler that {@link #preparesAhead} has the next group prepared while the current one renders.
 */
public interface GroupHandler {
  /** A group prepared for its render (for {@link GroupHandler#handle}: claimed, inputs loaded). */
  interface Prepared {
    /** Renders the group; returns, per message and in order, its outcome. */
    List<MessageOutcome> render();

    /**
     * Hands the group back unrendered (the loop drains): returns, per message and in order, its
     * outcome.
     */
    List<MessageOutcome> release();
  }

  /** Handles the group and returns, per message and in order, its outcome. */
  List<MessageOutcome> handle(List<JobMessage> group);

  /**
   * Whether the poll loop may prepare the next group while one renders (at most one group ahead).
   * Default false: the next group is taken only once the render ended.
   */
  default boolean preparesAhead() {
    return false;
  }

  /**
   * Prepares {@code group} for {@link Prepared#render}; by default nothing is done ahead: the
   * render calls {@link #handle}, and a release leaves every message for later.
   */
  default Prepared prepare(List<JobMessage> group) {
    return new Prepared() {
      @Override
      public List<MessageOutcome> render() {
        return handle(group);
      }

      @Override
      public List<MessageOutcome> release() {
        return Collections.nCopies(group.size(), MessageOutcome.RETRY_LATER);
      }
    };
  }

  /** Drain timeout reached: stop the running render at the next step and release its jobs. */
  void abort();

  /** Last resort (the render did not stop): release every job still held, from another thread. */
  void releaseAll();
}
