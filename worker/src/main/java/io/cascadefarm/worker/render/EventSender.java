package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.topic.JobEventMessage;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes status, progress and preview events, best effort (the store is the truth). */
public final class EventSender {
  private static final Logger LOG = LoggerFactory.getLogger(EventSender.class);
  private final EventPublisher publisher;
  private final String worker;
  private final Clock clock;

  public EventSender(EventPublisher publisher, String worker, Clock clock) {
    this.publisher = publisher;
    this.worker = worker;
    this.clock = clock;
  }

  public void status(Job job, JobStatus status, JobError error) {
    send(JobEventMessage.STATUS, job, status, null, error);
  }

  public void progress(Job job, JobProgress progress) {
    send(JobEventMessage.PROGRESS, job, JobStatus.RUNNING, progress, null);
  }

  /** A new live preview of {@code job} is stored (its step, size and key). */
  public void preview(Job job, LivePreview preview) {
    send(
        JobEventMessage.PREVIEW,
        job,
        JobStatus.RUNNING,
        new JobProgress("prior", preview.step(), preview.steps()),
        null,
        preview);
  }

  private void send(String type, Job job, JobStatus status, JobProgress p, JobError error) {
    send(type, job, status, p, error, null);
  }

  private void send(
      String type, Job job, JobStatus status, JobProgress p, JobError error, LivePreview preview) {
    try {
      publisher.publish(
          new JobEventMessage(
              type,
              job.id(),
              job.batchId(),
              job.tenant(),
              status,
              p,
              error,
              worker,
              clock.instant(),
              preview));
    } catch (RuntimeException e) {
      LOG.debug("event for job {} not published: {}", job.id(), e.toString());
    }
  }
}
