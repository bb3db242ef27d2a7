package io.cascadefarm.dispatcher.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The dispatcher's Prometheus metrics: HTTP requests by route and status, rejected requests by
 * reason, accepted jobs, outbox relay throughput, pending rows and lag, reaper actions, SSE
 * streams.
 */
public final class DispatcherMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong outboxPending = new AtomicLong();
  private final AtomicLong outboxLagMillis = new AtomicLong();
  private final Counter jobsAccepted;
  private final Counter outboxPublished;
  private final Counter outboxFailures;
  private final Counter reaperRequeued;
  private final Counter reaperErrors;

  public DispatcherMetrics() {
    // heap, non-heap and GC of the process: what the hostile run watches (jvm_memory_*_bytes)
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    jobsAccepted =
        Counter.builder("farm_jobs_accepted").description("Jobs accepted (202)").register(registry);
    outboxPublished =
        Counter.builder("farm_outbox_published")
            .description("Outbox rows published to Kafka")
            .register(registry);
    outboxFailures =
        Counter.builder("farm_outbox_publish_failures")
            .description("Outbox publications that failed or timed out")
            .register(registry);
    reaperRequeued =
        Counter.builder("farm_reaper_actions")
            .description("Jobs whose expired lease the reaper handled")
            .register(registry);
    reaperErrors =
        Counter.builder("farm_reaper_errors")
            .description("Reaper passes that failed")
            .register(registry);
    leaseExpiries(0, 0);
    resultsExpired(0);
    resultObjectsDeleted(0);
    requeuedByApi(0);
    Gauge.builder("farm_outbox_pending", outboxPending, AtomicLong::get)
        .description("Outbox rows found due in the relay's last pass")
        .register(registry);
    Gauge.builder("farm_outbox_lag_seconds", outboxLagMillis, a -> a.get() / 1000.0)
        .description("Age of the oldest outbox row still unpublished, as seen by this relay")
        .register(registry);
  }

  private static final java.util.Set<String> METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /**
   * Records a request. Every tag comes from a closed set, so no client can create new series: the
   * method is one of the standard ones or {@code other}, the route is a route template of the
   * router or {@code unmatched}, and the status is its class ({@code 2xx} ... {@code 5xx}).
   */
  public void request(String method, String route, int status, Duration took) {
    Timer.builder("farm_http_requests")
        .description("HTTP requests by method, route and status class")
        .publishPercentileHistogram()
        .tag("method", METHODS.contains(method) ? method : "other")
        .tag("route", route)
        .tag("status", status >= 100 && status < 600 ? (status / 100) + "xx" : "other")
        .register(registry)
        .record(took);
  }

  public void rejected(String reason) {
    Counter.builder("farm_http_rejected").tag("reason", reason).register(registry).increment();
  }

  public void jobsAccepted(int n) {
    jobsAccepted.increment(n);
  }

  public void outboxPass(int pending, int published, int failed, Duration lag) {
    outboxPending.set(pending);
    outboxLagMillis.set(lag.toMillis());
    outboxPublished.increment(published);
    outboxFailures.increment(failed);
  }

  public void reaped(int n) {
    reaperRequeued.increment(n);
  }

  /**
   * Jobs whose lease expired, by what the reaper did: {@code requeued} (attempts left) or {@code
   * failed} (out of attempts, error {@code lease_expired}).
   */
  public void leaseExpiries(int requeued, int failed) {
    Counter.builder("farm_lease_expiries")
        .description("Jobs whose lease expired, by outcome (requeued or failed for good)")
        .tag("outcome", "requeued")
        .register(registry)
        .increment(requeued);
    Counter.builder("farm_lease_expiries")
        .description("Jobs whose lease expired, by outcome (requeued or failed for good)")
        .tag("outcome", "failed")
        .register(registry)
        .increment(failed);
  }

  /** Jobs put back in the queue by {@code POST /v1/jobs|batches/{id}/retry}. */
  public void requeuedByApi(int n) {
    Counter.builder("farm_api_retries")
        .description("Jobs re-queued by the retry routes")
        .register(registry)
        .increment(n);
  }

  /** Job results the sweeper deleted and marked expired ({@code farm.results.ttl}). */
  public void resultsExpired(int n) {
    Counter.builder("farm_results_expired")
        .description("Job results deleted by the result sweeper and marked expired")
        .register(registry)
        .increment(n);
  }

  /** Result objects the sweeper deleted. */
  public void resultObjectsDeleted(int n) {
    Counter.builder("farm_results_objects_deleted")
        .description("Result objects deleted by the result sweeper")
        .register(registry)
        .increment(n);
  }

  public void resultSweepFailed() {
    Counter.builder("farm_results_sweep_errors")
        .description("Result sweeper passes that failed")
        .register(registry)
        .increment();
  }

  public void reaperFailed() {
    reaperErrors.increment();
  }

  /** Registers a gauge with one tag, read on each scrape. */
  public void taggedGauge(String name, String help, String tag, String value, Supplier<Number> v) {
    Gauge.builder(name, v).description(help).tag(tag, value).register(registry);
  }

  /** A refresh of the farm-wide gauges ({@code farm_jobs}, queues) failed. */
  public void statsFailed(String what) {
    Counter.builder("farm_stats_errors")
        .description("Refreshes of the farm-wide gauges that failed")
        .tag("source", what)
        .register(registry)
        .increment();
  }

  /** Registers a gauge read on each scrape (e.g. open SSE streams). */
  public void gauge(String name, String help, Supplier<Number> value) {
    Gauge.builder(name, value).description(help).register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
