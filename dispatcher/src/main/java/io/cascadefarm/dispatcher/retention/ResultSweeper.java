package io.cascadefarm.dispatcher.retention;

import io.cascadefarm.common.config.ResultSettings;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.port.ResultRetention;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the result objects of jobs that finished longer than their tenant's {@code
 * farm.results.ttl} ago, then marks each job's result expired; the job row and its metadata stay
 * and the API answers {@code expired: true} (410 on the image routes). Objects go first: a crash
 * between the two steps leaves a job whose next sweep deletes nothing new and marks it. Every
 * object under {@code results/<job>/} goes, so dead attempts' leftovers go with the result. Several
 * dispatchers may sweep at once: deletes are idempotent and the mark is conditional.
 */
public final class ResultSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultSweeper.class);

  /** Jobs handled per query; a pass repeats until fewer are due. */
  static final int PAGE = 200;

  private final ResultRetention retention;
  private final ObjectStore objects;
  private final ResultSettings settings;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  private ScheduledExecutorService thread;

  public ResultSweeper(
      ResultRetention retention,
      ObjectStore objects,
      ResultSettings settings,
      DispatcherMetrics metrics,
      Clock clock) {
    this.retention = retention;
    this.objects = objects;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Sweeps every {@code farm.results.sweep-interval}, on its own thread (a no-op without TTL). */
  public synchronized ResultSweeper start() {
    if (thread == null && settings.expires()) {
      thread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "dispatcher-result-sweeper");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1, settings.sweepInterval().toMillis());
      thread.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void tick() {
    try {
      sweepOnce();
    } catch (RuntimeException e) {
      metrics.resultSweepFailed();
      LOG.warn("result sweep failed (next try in {}): {}", settings.sweepInterval(), e.toString());
    }
  }

  /** One pass: every due job's objects deleted and the job marked. Returns the jobs expired. */
  public int sweepOnce() {
    Instant now = clock.instant();
    Instant defaultCutoff = cutoff(now, settings.ttl());
    Map<String, Instant> tenantCutoffs = new HashMap<>();
    settings.tenantTtl().forEach((tenant, ttl) -> tenantCutoffs.put(tenant, cutoff(now, ttl)));
    int expired = 0;
    while (true) {
      List<ResultRetention.Due> due = retention.due(defaultCutoff, tenantCutoffs, PAGE);
      int marked = 0;
      for (ResultRetention.Due d : due) {
        Set<String> keys = new LinkedHashSet<>(d.keys());
        keys.addAll(objects.list("results/" + d.jobId() + "/"));
        for (String k : keys) {
          objects.delete(k);
        }
        metrics.resultObjectsDeleted(keys.size());
        if (retention.markExpired(d.jobId(), now)) {
          marked++;
        }
      }
      expired += marked;
      metrics.resultsExpired(marked);
      if (due.size() < PAGE || marked == 0) {
        break;
      }
    }
    if (expired > 0) {
      LOG.info("result sweeper: {} job result(s) expired and deleted", expired);
    }
    return expired;
  }

  /** Results that finished before this are due; null when {@code ttl} 0 keeps them for ever. */
  static Instant cutoff(Instant now, Duration ttl) {
    return ttl.isZero() ? null : now.minus(ttl);
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
