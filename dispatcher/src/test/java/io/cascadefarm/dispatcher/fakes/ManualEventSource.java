package io.cascadefarm.dispatcher.fakes;

import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.dispatcher.events.JobEventSource;
import java.util.function.Consumer;

/** A {@link JobEventSource} a test pushes events into by hand. */
public final class ManualEventSource implements JobEventSource {
  private volatile Consumer<JobEventMessage> sink = e -> {};

  @Override
  public void start(Consumer<JobEventMessage> sink) {
    this.sink = sink;
  }

  public void emit(JobEventMessage e) {
    sink.accept(e);
  }

  @Override
  public void close() {}
}
