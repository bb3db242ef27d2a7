package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.port.FarmInsights;
import io.cascadefarm.common.port.FarmInsights.TenantQueue;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.service.StoreGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The queue overview: per tenant, jobs waiting for a first attempt ({@code new} lane) and for a
 * retry ({@code retry} lane), running jobs, jobs finished in the last {@link #WINDOW}, the
 * throughput (succeeded per minute over that window) and the ETA of the unfinished jobs at that
 * rate. Answers are cached for {@link #CACHE} per tenant (and for the farm-wide view), since the
 * counts scan the unfinished jobs.
 */
public final class QueueService {
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final Duration CACHE = Duration.ofSeconds(3);

  private final FarmInsights insights;
  private final Supplier<Map<String, Long>> lanes;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Instant at, Map<String, Object> answer) {}

  public QueueService(FarmInsights insights, Supplier<Map<String, Long>> lanes, Clock clock) {
    this.insights = insights;
    this.lanes = lanes;
    this.clock = clock;
  }

  /** One tenant's queue. */
  public Map<String, Object> tenant(String tenant) {
    return cached("t:" + tenant, () -> answer(tenant, false));
  }

  /** Every tenant's queue, totals and the Kafka lanes (admin). */
  public Map<String, Object> farm() {
    return cached("*", () -> answer(null, true));
  }

  private Map<String, Object> cached(String key, Supplier<Map<String, Object>> make) {
    Instant now = clock.instant();
    Cached c = cache.get(key);
    if (c != null && c.at().plus(CACHE).isAfter(now)) {
      return c.answer();
    }
    Map<String, Object> a = make.get();
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(key, new Cached(now, a));
    return a;
  }

  private Map<String, Object> answer(String tenant, boolean farm) {
    if (insights == null) {
      throw ApiException.unavailable("this dispatcher has no queue overview", 30);
    }
    Instant now = clock.instant();
    List<TenantQueue> rows =
        StoreGuard.call("queue overview", () -> insights.queues(tenant, now, WINDOW));
    List<Map<String, Object>> tenants = new ArrayList<>();
    long[] total = new long[5];
    for (TenantQueue q : rows) {
      tenants.add(row(q));
      total[0] += q.queuedNew();
      total[1] += q.queuedRetry();
      total[2] += q.running();
      total[3] += q.succeededInWindow();
      total[4] += q.failedInWindow();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at", now);
    out.put("window_seconds", WINDOW.toSeconds());
    if (farm) {
      out.put("total", row(new TenantQueue("*", total[0], total[1], total[2], total[3], total[4])));
      out.put("tenants", tenants);
      Map<String, Long> lag = new LinkedHashMap<>();
      try {
        lag.putAll(lanes.get());
      } catch (RuntimeException e) {
        // unknown: Kafka unreachable
      }
      out.put("kafka_lag", lag);
    } else {
      out.putAll(tenants.isEmpty() ? row(new TenantQueue(tenant, 0, 0, 0, 0, 0)) : tenants.get(0));
    }
    return out;
  }

  private static Map<String, Object> row(TenantQueue q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenant", q.tenant());
    Map<String, Long> lanes = new LinkedHashMap<>();
    lanes.put("new", q.queuedNew());
    lanes.put("retry", q.queuedRetry());
    m.put("queued", q.queuedNew() + q.queuedRetry());
    m.put("lanes", lanes);
    m.put("running", q.running());
    m.put("succeeded_recently", q.succeededInWindow());
    m.put("failed_recently", q.failedInWindow());
    double perMinute = q.succeededInWindow() / (double) WINDOW.toMinutes();
    m.put("throughput_per_minute", Math.round(perMinute * 100) / 100.0);
    long unfinished = q.queuedNew() + q.queuedRetry() + q.running();
    if (unfinished == 0) {
      m.put("eta_seconds", 0);
    } else if (perMinute > 0) {
      m.put("eta_seconds", Math.round(unfinished / perMinute * 60));
    }
    return m;
  }
}
