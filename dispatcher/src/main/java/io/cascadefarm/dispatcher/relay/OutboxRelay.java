package io.cascadefarm.dispatcher.relay;

import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.service.BatchKeyCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries outbox rows to the jobs topic (architecture rule 4). One pass reads due rows, publishes
 * each, waits for the broker's acks (at most {@code ackWait}, {@link #ACK_WAIT} in the dispatcher),
 * and deletes only the acknowledged rows; the rest stay and are tried again on a later pass, for as
 * long as Kafka is down. An ack that arrives after the wait (a broker back from an outage) still
 * deletes its row at the start of the next pass. A job may therefore be published twice; workers
 * treat duplicates as no-ops (rule 3).
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  public static final int PAGE = 5000;
  public static final Duration ACK_WAIT = Duration.ofSeconds(10);
  private final JobStore store;
  private final OutboxSource source;
  private final JobPublisher publisher;
  private final BatchKeyCache keys;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  private final Duration ackWait;
  private static final int MAX_TRACKED = 1_000_000;
  private final Map<Long, Instant> firstSeen = new HashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<OutboxSource.Due> lateAcks =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  public OutboxRelay(
      JobStore store,
      OutboxSource source,
      JobPublisher publisher,
      BatchKeyCache keys,
      DispatcherMetrics metrics,
      Clock clock,
      Duration ackWait) {
    this.store = store;
    this.source = source;
    this.publisher = publisher;
    this.keys = keys;
    this.metrics = metrics;
    this.clock = clock;
    this.ackWait = ackWait;
  }

  /** Publishes until no due row is left or a pass fails; returns how many rows were published. */
  public int drain() {
    int total = 0;
    while (true) {
      Pass p = passOnce();
      total += p.published;
      if (p.due < PAGE || p.failed > 0) {
        return total;
      }
    }
  }

  private record Pass(int due, int published, int failed) {}

  private Pass passOnce() {
    int late = flushLateAcks();
    Instant now = clock.instant();
    List<OutboxSource.Due> due = source.due(now, PAGE);
    List<CompletableFuture<Void>> acks = new ArrayList<>(due.size());
    for (OutboxSource.Due m : due) {
      firstSeen.putIfAbsent(m.outboxId(), now);
      acks.add(publish(m));
    }
    List<OutboxSource.Due> done = new ArrayList<>(due.size());
    int failed = 0;
    long deadline = System.nanoTime() + ackWait.toNanos();
    for (int i = 0; i < due.size(); i++) {
      OutboxSource.Due m = due.get(i);
      if (await(acks.get(i), deadline)) {
        done.add(m);
      } else {
        failed++;
        // Kafka may still acknowledge it later (a broker back from an outage): delete it then
        acks.get(i).thenRun(() -> lateAcks.add(m));
      }
    }
    published(done);
    if (firstSeen.size() > MAX_TRACKED) {
      firstSeen.clear();
    }
    Instant oldest = firstSeen.values().stream().min(Instant::compareTo).orElse(now);
    metrics.outboxPass(due.size(), done.size() + late, failed, Duration.between(oldest, now));
    if (failed > 0) {
      LOG.warn(
          "outbox relay: {} of {} publications not acknowledged; will retry", failed, due.size());
    }
    return new Pass(due.size(), done.size(), failed);
  }

  /** Deletes rows whose publication was acknowledged after its pass gave up waiting. */
  private int flushLateAcks() {
    List<OutboxSource.Due> late = new ArrayList<>();
    for (OutboxSource.Due m = lateAcks.poll(); m != null; m = lateAcks.poll()) {
      late.add(m);
    }
    published(late);
    return late.size();
  }

  private void published(List<OutboxSource.Due> rows) {
    if (rows.isEmpty()) {
      return;
    }
    store.markPublished(rows.stream().map(OutboxSource.Due::outboxId).toList());
    for (OutboxSource.Due m : rows) {
      firstSeen.remove(m.outboxId());
      keys.remove(m.jobId());
    }
  }

  private CompletableFuture<Void> publish(OutboxSource.Due m) {
    try {
      String key = m.batchKey() != null ? m.batchKey() : keys.get(m.jobId());
      if (key == null) {
        key = store.find(m.jobId()).map(j -> j.params().batchKey()).orElse(null);
      }
      return publisher.publish(new JobMessage(m.jobId(), key, m.triedBy(), m.priority()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean await(CompletableFuture<Void> f, long deadlineNanos) {
    try {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      f.get(left, TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
