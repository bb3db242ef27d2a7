package io.cascadefarm.dispatcher.fakes;

import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link JobPublisher} that records acknowledged messages, or fails them while {@code down}. */
public final class RecordingPublisher implements JobPublisher {
  public final List<JobMessage> published = new CopyOnWriteArrayList<>();
  public final AtomicBoolean down = new AtomicBoolean();

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    if (down.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
    }
    published.add(message);
    return CompletableFuture.completedFuture(null);
  }
}
