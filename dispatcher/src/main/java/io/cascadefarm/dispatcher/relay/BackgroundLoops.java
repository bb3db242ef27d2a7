package io.cascadefarm.dispatcher.relay;

import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay every {@code farm.outbox.interval} (and right after a submit, via {@link #wake}),
 * backing off up to 5 s while the store or Kafka fails, and the reaper every {@code
 * farm.reaper.interval}. Each loop has its own thread, so a slow Kafka never delays the reaper.
 */
public final class BackgroundLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoops.class);
  private static final long MAX_BACKOFF_MS = 5000;
  private final ScheduledExecutorService relayThread = named("dispatcher-outbox-relay");
  private final ScheduledExecutorService reaperThread = named("dispatcher-lease-reaper");
  private final OutboxRelay relay;
  private final LeaseReaper reaper;
  private final DispatcherMetrics metrics;
  private final long intervalMs;
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private volatile long backoffMs;

  public BackgroundLoops(
      OutboxRelay relay,
      LeaseReaper reaper,
      DispatcherMetrics metrics,
      Duration outboxInterval,
      Duration reaperInterval) {
    this.relay = relay;
    this.reaper = reaper;
    this.metrics = metrics;
    this.intervalMs = Math.max(1, outboxInterval.toMillis());
    relayThread.schedule(this::relayTick, 0, TimeUnit.MILLISECONDS);
    long r = Math.max(1, reaperInterval.toMillis());
    reaperThread.scheduleWithFixedDelay(this::reaperTick, r, r, TimeUnit.MILLISECONDS);
  }

  /** Asks for a relay pass now (coalesced). */
  public void wake() {
    if (backoffMs == 0 && wakePending.compareAndSet(false, true)) {
      try {
        relayThread.execute(this::relayPass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void relayTick() {
    relayPass();
    try {
      relayThread.schedule(this::relayTick, intervalMs + backoffMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void relayPass() {
    wakePending.set(false);
    try {
      relay.drain();
      backoffMs = 0;
    } catch (RuntimeException e) {
      backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
      LOG.warn(
          "outbox relay pass failed (next try in {} ms): {}", intervalMs + backoffMs, e.toString());
    }
  }

  private void reaperTick() {
    try {
      reaper.reapOnce();
    } catch (RuntimeException e) {
      metrics.reaperFailed();
      LOG.warn("lease reaper pass failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    relayThread.shutdownNow();
    reaperThread.shutdownNow();
    try {
      relayThread.awaitTermination(5, TimeUnit.SECONDS);
      reaperThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ScheduledExecutorService named(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
