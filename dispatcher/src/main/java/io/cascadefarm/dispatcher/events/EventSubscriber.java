package io.cascadefarm.dispatcher.events;

import io.cascadefarm.common.topic.JobEventMessage;

/** One open event stream; {@link #deliver} is called from the event source's thread. */
public interface EventSubscriber {
  void deliver(JobEventMessage event);
}
