package io.cascadefarm.worker.render;

import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.LivePreview;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.LeaseState;
import io.cascadefarm.common.port.PreviewImage;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener of one batched render. Progress goes to the store and the events topic at most once
 * per {@code progressEveryNanos} (default 500 ms, i.e. at most 2/s per job). Live previews of the
 * jobs that asked ({@code preview_every}) are paced the same way per job (a preview due sooner is
 * not even rendered), stored over the job's previous one and announced on the events topic.
 * Cancellation is read from the store at most once per {@code cancelCheckEveryNanos}: cancelled
 * jobs are dropped (their results discarded), a job no longer running under our lease counts as a
 * lost lease, and the render is stopped once no job of the group is left, or the worker aborts
 * (drain timeout). Each progress write and each check is one store call for the whole group ({@link
 * JobStore#sync}), and a progress write also counts as the check.
 */
public final class BatchListener implements RenderListener {
  private static final Logger LOG = LoggerFactory.getLogger(BatchListener.class);
  private final List<ActiveJob> jobs;
  private final JobStore store;
  private final EventSender events;
  private final ResultUploader previews;
  private final long[] lastPreview;
  private final WorkerMetrics metrics;
  private final BooleanSupplier abort;
  private final LongSupplier nanoTime;
  private final long progressEveryNanos;
  private final long cancelCheckEveryNanos;
  private long lastProgress;
  private long lastCheck;

  public BatchListener(
      List<ActiveJob> jobs,
      JobStore store,
      EventSender events,
      ResultUploader previews,
      WorkerMetrics metrics,
      BooleanSupplier abort,
      LongSupplier nanoTime,
      long progressEveryNanos,
      long cancelCheckEveryNanos) {
    this.jobs = List.copyOf(jobs);
    this.store = store;
    this.events = events;
    this.previews = previews;
    this.metrics = metrics;
    this.abort = abort;
    this.nanoTime = nanoTime;
    this.progressEveryNanos = progressEveryNanos;
    this.cancelCheckEveryNanos = cancelCheckEveryNanos;
    this.lastProgress = nanoTime.getAsLong() - progressEveryNanos;
    this.lastCheck = nanoTime.getAsLong();
    this.lastPreview = new long[this.jobs.size()];
    java.util.Arrays.fill(lastPreview, lastProgress);
  }

  @Override
  public boolean wantsPreview(int task) {
    return task >= 0
        && task < jobs.size()
        && jobs.get(task).active()
        && nanoTime.getAsLong() - lastPreview[task] >= progressEveryNanos;
  }

  @Override
  public void onPreview(int task, int step, int steps, PreviewImage preview) {
    if (!wantsPreview(task)) {
      return;
    }
    lastPreview[task] = nanoTime.getAsLong();
    ActiveJob j = jobs.get(task);
    UUID id = j.job().id();
    if (previews.uploadPreview(id, preview.png())) {
      events.preview(
          j.job(),
          new LivePreview(
              step, steps, preview.width(), preview.height(), LivePreview.key(id), null));
    }
  }

  @Override
  public void onStep(String stage, int step, int steps) {
    long now = nanoTime.getAsLong();
    if (now - lastProgress < progressEveryNanos) {
      return;
    }
    lastProgress = now;
    lastCheck = now; // the same call reads where each job stands
    JobProgress p = new JobProgress(stage, step, steps);
    sync(p);
    for (ActiveJob j : jobs) {
      if (j.active()) {
        events.progress(j.job(), p);
      }
    }
  }

  @Override
  public boolean isCancelled() {
    if (abort.getAsBoolean()) {
      return true;
    }
    long now = nanoTime.getAsLong();
    if (now - lastCheck >= cancelCheckEveryNanos) {
      lastCheck = now;
      sync(null);
    }
    return jobs.stream().noneMatch(ActiveJob::active);
  }

  /**
   * One store call for the group ({@link JobStore#sync}): writes {@code progress} (null: none)
   * under every active lease and drops the jobs that were cancelled or whose lease is gone.
   */
  private void sync(JobProgress progress) {
    List<ActiveJob> active = jobs.stream().filter(ActiveJob::active).toList();
    if (active.isEmpty()) {
      return;
    }
    Map<UUID, LeaseState> states;
    try {
      states = store.sync(active.stream().map(ActiveJob::lease).toList(), progress);
    } catch (RuntimeException e) {
      // store unreachable: keep rendering, the heartbeat decides about the leases
      LOG.debug("progress/cancel check of {} job(s) failed: {}", active.size(), e.toString());
      return;
    }
    for (ActiveJob j : active) {
      LeaseState state = states.getOrDefault(j.job().id(), LeaseState.CURRENT);
      if (state == LeaseState.CANCELLED && j.leave(ActiveJob.State.CANCELLED)) {
        metrics.cancelled();
        LOG.info("job {} cancelled mid-render: dropping it", j.job().id());
      } else if (state == LeaseState.LOST && j.leave(ActiveJob.State.LEASE_LOST)) {
        metrics.leaseLost();
      }
    }
  }
}
