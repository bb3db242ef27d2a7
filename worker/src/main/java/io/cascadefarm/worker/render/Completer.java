package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.Completion;
import io.cascadefarm.common.port.FailOutcome;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.infra.kafka.KafkaDeadLetterPublisher;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an attempt in the store under its lease: succeed, fail (re-queued with backoff, or failed
 * for good and then published to the dead-letter topic) or release. A retried job's success also
 * deletes its earlier attempts' result objects ({@link DeadAttemptSweeper}). Store calls are
 * retried in place; if the store stays down, the lease expires and the reaper takes the job over.
 */
public final class Completer {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private static final long DLQ_ACK_SECONDS = 30;
  private final JobStore store;
  private final JobPublisher deadLetters;
  private final EventSender events;
  private final WorkerMetrics metrics;
  private final Retrier retrier;
  private final Backoff backoff;
  private final DeadAttemptSweeper sweeper;
  private volatile AttemptListener attempts = (job, ok) -> {};

  /** Told of every attempt that ended with a recorded success or failure (the registry). */
  @FunctionalInterface
  public interface AttemptListener {
    void ended(Job job, boolean succeeded);
  }

  /** Sets the listener of ended attempts (one; the worker's registration). */
  public void onAttemptEnded(AttemptListener listener) {
    this.attempts = listener;
  }

  public Completer(
      JobStore store,
      JobPublisher deadLetters,
      EventSender events,
      WorkerMetrics metrics,
      Retrier retrier,
      Backoff backoff,
      DeadAttemptSweeper sweeper) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.events = events;
    this.metrics = metrics;
    this.retrier = retrier;
    this.backoff = backoff;
    this.sweeper = sweeper;
  }

  /** A rendered job and what it produced, to be recorded as its success. */
  public record Success(ActiveJob job, JobResult result) {}

  /** Records one job's success: {@link #succeedAll} with that job alone. */
  public void succeed(ActiveJob j, JobResult result) {
    succeedAll(List.of(new Success(j, result)));
  }

  /**
   * Records the successes of a rendered group in one store call ({@link JobStore#succeedAll}); a
   * job that another party already moved out of ACTIVE (cancelled, lease lost, timed out) is left
   * out, and one whose lease epoch turned stale is logged and not counted.
   */
  public void succeedAll(List<Success> successes) {
    List<Success> leaving =
        successes.stream().filter(s -> s.job().leave(ActiveJob.State.COMPLETING)).toList();
    if (leaving.isEmpty()) {
      return;
    }
    List<Completion> completions =
        leaving.stream().map(s -> new Completion(s.job().lease(), s.result())).toList();
    Set<UUID> done;
    try {
      done =
          retrier.call(
              "succeed " + leaving.size() + " job(s)", () -> store.succeedAll(completions));
    } catch (RuntimeException e) {
      LOG.error("cannot complete {} job(s); the reaper will re-queue them", leaving.size(), e);
      return;
    }
    for (Success s : leaving) {
      Job job = s.job().job();
      if (done.contains(job.id())) {
        metrics.rendered();
        attempts.ended(job, true);
        events.status(job, JobStatus.SUCCEEDED, null);
        sweeper.sweep(job.id(), s.job().lease().epoch());
      } else {
        LOG.info("job {} not completed: lease epoch {} stale", job.id(), s.job().lease().epoch());
      }
    }
  }

  /**
   * Ends the attempt with {@code error}; false (and nothing done) if another party already moved
   * the job out of ACTIVE (completed, cancelled, lease lost, released or timed out).
   */
  public boolean fail(ActiveJob j, JobError error) {
    if (!j.leave(ActiveJob.State.COMPLETING)) {
      return false;
    }
    Duration delay = backoff.delay(j.lease().attempt());
    if (STORAGE_ERROR.equals(error.code())) {
      storageOutage(j, error, delay);
      return true;
    }
    FailOutcome outcome;
    try {
      outcome = retrier.call("fail " + j.job().id(), () -> store.fail(j.lease(), error, delay));
    } catch (RuntimeException e) {
      LOG.error("cannot record failure of job {}; the reaper will re-queue it", j.job().id(), e);
      return true;
    }
    LOG.info(
        "job {} attempt {} failed ({}): {}", j.job().id(), j.lease().attempt(), error, outcome);
    if (outcome != FailOutcome.STALE) {
      attempts.ended(j.job(), false);
    }
    switch (outcome) {
      case REQUEUED -> {
        metrics.retried();
        events.status(j.job(), JobStatus.QUEUED, error);
      }
      case FAILED -> {
        metrics.failed();
        events.status(j.job(), JobStatus.FAILED, error);
        deadLetter(j.job(), error);
      }
      case STALE -> LOG.info("failure of job {} not recorded: lease stale", j.job().id());
    }
    return true;
  }

  /** The code of a failure to reach S3 (or PostgreSQL) for the whole storage-retry budget. */
  public static final String STORAGE_ERROR = "storage_error";

  /**
   * The storage stayed unreachable for the whole retry budget: an outage, not a fault of the job.
   * The job goes back to the queue without using an attempt, claimable again after the backoff, so
   * an outage of any length delays jobs but never fails them for good.
   */
  private void storageOutage(ActiveJob j, JobError error, Duration delay) {
    try {
      if (retrier.call(
          "release " + j.job().id(), () -> store.releaseAfterOutage(j.lease(), error, delay))) {
        metrics.released();
        events.status(j.job(), JobStatus.QUEUED, error);
        LOG.warn(
            "job {} released without using an attempt (storage unavailable; again in {}): {}",
            j.job().id(),
            delay,
            error.message());
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot release job {}; its lease will expire: {}", j.job().id(), e.toString());
    }
  }

  public void release(ActiveJob j, String reason) {
    try {
      if (retrier.call("release " + j.job().id(), () -> store.release(j.lease(), reason))) {
        metrics.released();
        events.status(j.job(), JobStatus.QUEUED, null);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot release job {}; its lease will expire: {}", j.job().id(), e.toString());
    }
  }

  private void deadLetter(Job job, JobError error) {
    JobMessage message = new JobMessage(job.id(), job.params().batchKey());
    try {
      retrier.run("dead-letter " + job.id(), () -> awaitAck(message, error));
      metrics.deadLettered();
    } catch (RuntimeException e) {
      LOG.error("job {} failed but could not be dead-lettered", job.id(), e);
    }
  }

  /** Publishes and waits for the broker; the Kafka adapter also carries the error as a header. */
  private void awaitAck(JobMessage message, JobError error) {
    try {
      (deadLetters instanceof KafkaDeadLetterPublisher kafka
              ? kafka.publish(message, error)
              : deadLetters.publish(message))
          .get(DLQ_ACK_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("dead-letter publish not acknowledged: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    }
  }
}
