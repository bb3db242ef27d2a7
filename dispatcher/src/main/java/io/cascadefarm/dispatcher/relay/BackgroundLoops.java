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
 *
 * <p>A pass that throws anything, an {@link Error} included (out of memory, stack overflow, a
 * linkage error), is logged and backed off; the loop goes on. {@link #health} says whether each
 * loop is alive: a loop whose pass has run longer than the stall limit, or that has not started a
 * pass for that long, is reported stalled, and {@code /healthz} turns red.
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
  private final long stallNanos;
  private final Beat relayBeat = new Beat();
  private final Beat reaperBeat = new Beat();

  /** When a loop last started and finished a pass (System.nanoTime). */
  private static final class Beat {
    volatile long started = System.nanoTime();
    volatile long finished = System.nanoTime();
    volatile boolean running;

    void start() {
      started = System.nanoTime();
      running = true;
    }

    void end() {
      finished = System.nanoTime();
      running = false;
    }

    String state(long stallNanos) {
      long now = System.nanoTime();
      if (running && now - started > stallNanos) {
        return "stalled: one pass running for " + (now - started) / 1_000_000_000 + " s";
      }
      if (!running && now - finished > stallNanos) {
        return "stalled: no pass for " + (now - finished) / 1_000_000_000 + " s";
      }
      return "ok";
    }
  }

  /** Longest a pass may run, or a loop go without one, before it counts as stalled. */
  public static final Duration STALL_LIMIT = Duration.ofMinutes(2);

  public BackgroundLoops(
      OutboxRelay relay,
      LeaseReaper reaper,
      DispatcherMetrics metrics,
      Duration outboxInterval,
      Duration reaperInterval) {
    this(relay, reaper, metrics, outboxInterval, reaperInterval, STALL_LIMIT);
  }

  public BackgroundLoops(
      OutboxRelay relay,
      LeaseReaper reaper,
      DispatcherMetrics metrics,
      Duration outboxInterval,
      Duration reaperInterval,
      Duration stallLimit) {
    this.stallNanos =
        Math.max(
            stallLimit.toNanos(), 3 * Math.max(outboxInterval.toNanos(), reaperInterval.toNanos()));
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
    relayBeat.start();
    try {
      relay.drain();
      backoffMs = 0;
    } catch (RuntimeException e) {
      backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
      LOG.warn(
          "outbox relay pass failed (next try in {} ms): {}", intervalMs + backoffMs, e.toString());
    } catch (Error e) { // NOPMD: the loop must outlive an Error (OOM, stack overflow, linkage)
      backoffMs = MAX_BACKOFF_MS;
      LOG.error(
          "outbox relay pass failed with an error (next try in {} ms)", intervalMs + backoffMs, e);
    } finally {
      relayBeat.end();
    }
  }

  private void reaperTick() {
    reaperBeat.start();
    try {
      reaper.reapOnce();
    } catch (RuntimeException e) {
      metrics.reaperFailed();
      LOG.warn("lease reaper pass failed: {}", e.toString());
    } catch (Error e) { // NOPMD: scheduleWithFixedDelay would stop the loop for good
      metrics.reaperFailed();
      LOG.error("lease reaper pass failed with an error; the next pass runs as scheduled", e);
    } finally {
      reaperBeat.end();
    }
  }

  /**
   * Each loop's state: {@code ok}, or why it is not (stalled, or its thread gone). Read by {@code
   * /healthz}.
   */
  public java.util.Map<String, String> health() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("outbox_relay", relayThread.isShutdown() ? "stopped" : relayBeat.state(stallNanos));
    out.put("lease_reaper", reaperThread.isShutdown() ? "stopped" : reaperBeat.state(stallNanos));
    return out;
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
