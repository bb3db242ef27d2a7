package io.cascadefarm.worker.render;

import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of a group's active jobs every {@code farm.worker.heartbeat} on the heartbeat
 * thread. A heartbeat the store refuses marks the job {@code LEASE_LOST}: its results are
 * discarded. A store that cannot be reached is tolerated (the next beat tries again).
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final JobStore store;
  private final Duration leaseTime;
  private final List<ActiveJob> jobs;
  private final WorkerMetrics metrics;
  private final ScheduledFuture<?> task;

  public LeaseKeeper(
      ScheduledExecutorService scheduler,
      JobStore store,
      Duration every,
      Duration leaseTime,
      List<ActiveJob> jobs,
      WorkerMetrics metrics) {
    this.store = store;
    this.leaseTime = leaseTime;
    this.jobs = List.copyOf(jobs);
    this.metrics = metrics;
    long ms = Math.max(1, every.toMillis());
    this.task = scheduler.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One round of renewals (also called directly by tests). */
  public void beat() {
    for (ActiveJob j : jobs) {
      if (!j.active()) {
        continue;
      }
      try {
        if (!store.heartbeat(j.lease(), leaseTime) && j.leave(ActiveJob.State.LEASE_LOST)) {
          metrics.leaseLost();
          LOG.warn(
              "lease of job {} epoch {} is gone: dropping it", j.job().id(), j.lease().epoch());
        }
      } catch (RuntimeException e) {
        LOG.warn("heartbeat for job {} failed: {}", j.job().id(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
