package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import java.util.List;

/** Renders one group of compatible job messages; called on the render thread. */
public interface GroupHandler {
  /** Handles the group and returns, per message and in order, its outcome. */
  List<MessageOutcome> handle(List<JobMessage> group);

  /** Drain timeout reached: stop the running render at the next step and release its jobs. */
  void abort();

  /** Last resort (the render did not stop): release every job still held, from another thread. */
  void releaseAll();
}
