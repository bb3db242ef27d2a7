package io.cascadefarm.dispatcher.events;

import io.cascadefarm.common.topic.JobEventMessage;
import java.util.function.Consumer;

/** Where live job events come from (the Kafka events topic in production). */
public interface JobEventSource extends AutoCloseable {

  /** Starts delivering events to {@code sink}, from any thread. */
  void start(Consumer<JobEventMessage> sink);

  @Override
  void close();

  /** A source that never emits (no live events; SSE still sends the snapshot). */
  static JobEventSource none() {
    return new JobEventSource() {
      @Override
      public void start(Consumer<JobEventMessage> sink) {}

      @Override
      public void close() {}
    };
  }
}
