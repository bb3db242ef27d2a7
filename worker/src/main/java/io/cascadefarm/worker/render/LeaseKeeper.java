package io.cascadefarm.worker.render;

import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of a group's active jobs every {@code farm.worker.heartbeat} on the heartbeat
 * thread, in one store call per group ({@code JobStore#heartbeatAll}). A heartbeat the store
 * refuses marks the job {@code LEASE_LOST}: its results are discarded. A store that cannot be
 * reached is tolerated (the next beat tries again).
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

  /**
   * One round of renewals, one store call for the group's active jobs (also called directly by
   * tests).
   */
  public void beat() {
    List<ActiveJob> active = jobs.stream().filter(ActiveJob::active).toList();
    if (active.isEmpty()) {
      return;
    }
    Set<UUID> renewed;
    try {
      renewed = store.heartbeatAll(active.stream().map(ActiveJob::lease).toList(), leaseTime);
    } catch (RuntimeException e) {
      LOG.warn("heartbeat for {} job(s) failed: {}", active.size(), e.toString());
      return;
    }
    for (ActiveJob j : active) {
      if (!renewed.contains(j.job().id()) && j.leave(ActiveJob.State.LEASE_LOST)) {
        metrics.leaseLost();
        LOG.warn("lease of job {} epoch {} is gone: dropping it", j.job().id(), j.lease().epoch());
      }
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
