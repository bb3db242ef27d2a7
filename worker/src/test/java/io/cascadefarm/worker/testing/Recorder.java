package io.cascadefarm.worker.testing;

import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.common.topic.JobMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records published events and dead letters. */
public final class Recorder implements EventPublisher, JobPublisher {
  public final List<JobEventMessage> events = new CopyOnWriteArrayList<>();
  public final List<JobMessage> deadLetters = new CopyOnWriteArrayList<>();

  @Override
  public void publish(JobEventMessage event) {
    events.add(event);
  }

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    deadLetters.add(message);
    return CompletableFuture.completedFuture(null);
  }
}
