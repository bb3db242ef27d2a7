package io.cascadefarm.dispatcher.relay;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues running jobs whose lease expired (their worker died or hung). The store writes the
 * outbox rows in the same transaction; the {@link OutboxRelay} publishes them.
 */
public final class LeaseReaper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
  public static final int PAGE = 1000;
  private final JobStore store;
  private final DispatcherMetrics metrics;
  private final Clock clock;

  public LeaseReaper(JobStore store, DispatcherMetrics metrics, Clock clock) {
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One pass; returns how many jobs were re-queued or failed for good. */
  public int reapOnce() {
    int total = 0;
    int failed = 0;
    List<UUID> ids;
    do {
      ids = store.reapExpiredLeases(clock.instant(), PAGE);
      total += ids.size();
      for (UUID id : ids) {
        // out of attempts: the store failed it (lease_expired) instead of re-queueing it
        if (store.status(id).filter(s -> s == JobStatus.FAILED).isPresent()) {
          failed++;
        }
      }
    } while (ids.size() == PAGE);
    if (total > 0) {
      LOG.info("reaper: {} job(s) with expired leases handled, {} failed for good", total, failed);
      metrics.reaped(total);
      metrics.leaseExpiries(total - failed, failed);
    }
    return total;
  }
}
