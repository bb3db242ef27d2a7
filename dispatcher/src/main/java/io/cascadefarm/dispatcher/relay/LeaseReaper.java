package io.cascadefarm.dispatcher.relay;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues running jobs whose lease expired (their worker died or hung). The store writes the
 * outbox rows in the same transaction; the {@link OutboxRelay} publishes them. A job whose lease
 * expired on its last attempt is failed by the store ({@code lease_expired}); the reaper puts it on
 * the dead-letter topic, as a worker does for the jobs it fails.
 */
public final class LeaseReaper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
  public static final int PAGE = 1000;
  private final JobStore store;
  private final JobPublisher deadLetters;
  private final DispatcherMetrics metrics;
  private final Clock clock;

  public LeaseReaper(
      JobStore store, JobPublisher deadLetters, DispatcherMetrics metrics, Clock clock) {
    this.store = store;
    this.deadLetters = deadLetters;
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
        Job job = store.find(id).orElse(null);
        if (job != null && job.status() == JobStatus.FAILED) {
          failed++;
          deadLetter(job);
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

  private void deadLetter(Job job) {
    JobMessage message = new JobMessage(job.id(), job.params().batchKey());
    deadLetters
        .publish(message)
        .exceptionally(
            e -> {
              LOG.warn("reaper: could not dead-letter failed job {}: {}", job.id(), e.toString());
              return null;
            });
  }
}
