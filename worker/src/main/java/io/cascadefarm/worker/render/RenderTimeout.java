package io.cascadefarm.worker.render;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code farm.worker.render-timeout} on render calls. When a call runs past the limit, the
 * watchdog thread fails the attempt of each job still active in it ({@link Completer#fail}: under
 * the job's lease and fencing epoch, retryable code {@value #CODE}, so the retry, attempt-limit and
 * dead-letter rules apply). Failing a job moves it out of ACTIVE, so the heartbeat stops renewing
 * its lease and the render's cancellation hook stops the pipeline at its next sampler step; if the
 * render never gets there (stuck in native code), its results are never uploaded (the job is no
 * longer active and the lease epoch is stale) and {@code farm_worker_render_stuck} stays at 1 until
 * it returns; if it has not returned one lease time after expiry, the jobs of the same group of
 * messages still waiting for the render thread are released (re-queued without using an attempt). A
 * timed-out batch is not split (that could hold the worker for n + 1 timeouts); instead each of its
 * jobs is rendered alone on its retry, so only the hanging job uses up its attempts.
 */
public final class RenderTimeout {
  public static final String CODE = "render_timeout";
  private static final Logger LOG = LoggerFactory.getLogger(RenderTimeout.class);
  private final ScheduledExecutorService watchdog;
  private final Duration limit;
  private final Completer completer;
  private final WorkerMetrics metrics;
  private final Duration stuckGrace;
  private final Runnable onStuck;

  /**
   * @param stuckGrace how long after expiry a render call that has still not returned counts as
   *     stuck; then {@code onStuck} runs (the executor releases the jobs waiting behind it)
   */
  public RenderTimeout(
      ScheduledExecutorService watchdog,
      Duration limit,
      Completer completer,
      WorkerMetrics metrics,
      Duration stuckGrace,
      Runnable onStuck) {
    this.watchdog = watchdog;
    this.limit = limit;
    this.completer = completer;
    this.metrics = metrics;
    this.stuckGrace = stuckGrace;
    this.onStuck = onStuck;
  }

  /** The error an attempt ends with when its render ran past {@code limit}. */
  public static JobError error(Duration limit) {
    return new JobError(
        CODE,
        "render ran longer than "
            + WorkerConfig.RENDER_TIMEOUT.name()
            + "="
            + limit
            + "; attempt stopped (raise the key, or 0 turns the limit off)",
        true);
  }

  /** Whether the job's previous attempt ended with {@value #CODE} (then it is rendered alone). */
  public static boolean timedOutBefore(Job job) {
    return job.error() != null && CODE.equals(job.error().code());
  }

  /** Starts the deadline of one render call of {@code jobs} (none when the limit is 0). */
  public RenderDeadline watch(List<ActiveJob> jobs) {
    AtomicReference<RenderDeadline> self = new AtomicReference<>();
    RenderDeadline deadline =
        RenderDeadline.start(
            watchdog,
            limit,
            () -> {
              expire(jobs);
              watchdog.schedule(
                  () -> checkStuck(self.get()), stuckGrace.toMillis(), TimeUnit.MILLISECONDS);
            },
            metrics::renderReturned);
    self.set(deadline);
    return deadline;
  }

  private void checkStuck(RenderDeadline deadline) {
    if (deadline != null && !deadline.returned()) {
      LOG.error(
          "render thread still stuck {} after {}: releasing the jobs waiting behind it;"
              + " restart this worker",
          stuckGrace,
          WorkerConfig.RENDER_TIMEOUT.name());
      onStuck.run();
    }
  }

  private void expire(List<ActiveJob> jobs) {
    metrics.renderStuck();
    LOG.warn(
        "render of {} job(s) ran past {} ({}): failing their attempts",
        jobs.size(),
        WorkerConfig.RENDER_TIMEOUT.name(),
        limit);
    for (ActiveJob j : jobs) {
      if (completer.fail(j, error(limit))) {
        metrics.renderTimedOut();
      }
    }
  }
}
