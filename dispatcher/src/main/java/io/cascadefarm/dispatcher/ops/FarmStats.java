package io.cascadefarm.dispatcher.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Farm-wide gauges for the dashboard and alerts, refreshed on a background thread (never on a
 * scrape): {@code farm_jobs{status}} from PostgreSQL, and per Kafka topic {@code
 * farm_queue_messages{topic}} (retained messages: the dead-letter topic's depth) and {@code
 * farm_queue_lag{topic}} (messages the workers' group has not consumed yet: the queue). Every
 * dispatcher exports the same farm-wide values; aggregate with max(), not sum().
 */
public final class FarmStats implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FarmStats.class);
  private final Map<String, AtomicLong> jobs = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> messages = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
  private final DispatcherMetrics metrics;
  private final Supplier<Map<String, Long>> jobCounts;
  private final QueueSource queues;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dispatcher-farm-stats");
            t.setDaemon(true);
            return t;
          });

  /** Depth and lag per topic (see {@code QueueStats} in infra). */
  public interface QueueSource {
    /** [messages per topic, lag per consumed topic]. */
    List<Map<String, Long>> read() throws Exception;
  }

  public FarmStats(
      DispatcherMetrics metrics,
      Supplier<Map<String, Long>> jobCounts,
      QueueSource queues,
      List<String> topics,
      List<String> consumed) {
    this.metrics = metrics;
    this.jobCounts = jobCounts;
    this.queues = queues;
    for (String s : List.of("queued", "running", "succeeded", "failed", "cancelled")) {
      AtomicLong v = jobs.computeIfAbsent(s, k -> new AtomicLong());
      metrics.taggedGauge(
          "farm_jobs", "Jobs per status (farm-wide, refreshed every 30 s)", "status", s, v::get);
    }
    for (String t : topics) {
      AtomicLong v = messages.computeIfAbsent(t, k -> new AtomicLong());
      metrics.taggedGauge(
          "farm_queue_messages",
          "Messages retained per Kafka topic (farm-wide)",
          "topic",
          t,
          v::get);
    }
    for (String t : consumed) {
      AtomicLong v = lag.computeIfAbsent(t, k -> new AtomicLong());
      metrics.taggedGauge(
          "farm_queue_lag",
          "Messages the workers' consumer group has not consumed yet, per topic (the queue)",
          "topic",
          t,
          v::get);
    }
  }

  /** The last read lag per consumed topic (the queue lanes in Kafka). */
  public Map<String, Long> lag() {
    Map<String, Long> out = new java.util.TreeMap<>();
    lag.forEach((t, v) -> out.put(t, v.get()));
    return out;
  }

  public FarmStats start(long periodSeconds) {
    thread.scheduleWithFixedDelay(this::refresh, 0, periodSeconds, TimeUnit.SECONDS);
    return this;
  }

  /** One refresh of every gauge; failures are logged and counted, the last values stay. */
  public void refresh() {
    try {
      jobCounts.get().forEach((s, n) -> jobs.computeIfAbsent(s, k -> new AtomicLong()).set(n));
    } catch (RuntimeException e) {
      metrics.statsFailed("jobs");
      LOG.debug("job counts failed: {}", e.toString());
    }
    try {
      List<Map<String, Long>> q = queues.read();
      q.get(0).forEach((t, n) -> set(messages, t, n));
      q.get(1).forEach((t, n) -> set(lag, t, n));
    } catch (Exception e) {
      metrics.statsFailed("queues");
      LOG.debug("queue stats failed: {}", e.toString());
    }
  }

  private static void set(Map<String, AtomicLong> m, String k, long v) {
    AtomicLong a = m.get(k);
    if (a != null) {
      a.set(v);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
