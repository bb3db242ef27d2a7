package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.topic.JobEventMessage;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes status and progress events, best effort (the store is the truth). */
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

  private void send(String type, Job job, JobStatus status, JobProgress p, JobError error) {
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
              clock.instant()));
    } catch (RuntimeException e) {
      LOG.debug("event for job {} not published: {}", job.id(), e.toString());
    }
  }
}
