package io.cascadefarm.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's meters, tagged with the worker id: jobs rendered, failed, retried, released,
 * cancelled and skipped; render seconds; batch sizes; lease losses; storage retries; dead letters;
 * model load seconds (reported by the renderer); render timeouts and renders still running past
 * their timeout (a stuck render thread, e.g. in native code: restart the worker when it stays 1).
 */
public final class WorkerMetrics {
  private final MeterRegistry registry;
  private final Counter rendered;
  private final Counter failed;
  private final Counter retried;
  private final Counter released;
  private final Counter cancelled;
  private final Counter skipped;
  private final Counter leaseLosses;
  private final Counter storageRetries;
  private final Counter deadLetters;
  private final Counter renderTimeouts;
  private final Counter deadAttemptObjects;
  private final AtomicInteger stuckRenders = new AtomicInteger();
  private final AtomicInteger numericsState = new AtomicInteger(NUMERICS_PENDING);
  private volatile String numericsFailure;
  private final Timer renderTime;
  private final DistributionSummary batchSizes;
  private final String worker;
  private volatile String precision = "fp32";

  private static final int NUMERICS_PENDING = -1;
  private final AtomicInteger quarantinedState = new AtomicInteger();
  private volatile String quarantineReason;
  private Counter quarantines;

  public WorkerMetrics(MeterRegistry registry, String worker) {
    this.registry = registry;
    this.worker = worker;
    rendered = counter("farm.worker.jobs.rendered", "Jobs rendered and completed");
    failed = counter("farm.worker.jobs.failed", "Jobs failed for good (sent to the DLQ)");
    retried = counter("farm.worker.jobs.retried", "Failed attempts re-queued with backoff");
    released = counter("farm.worker.jobs.released", "Jobs handed back while draining");
    cancelled = counter("farm.worker.jobs.cancelled", "Jobs dropped mid-render on cancel");
    skipped = counter("farm.worker.jobs.skipped", "Messages whose job was not claimable");
    leaseLosses = counter("farm.worker.lease.losses", "Leases found no longer current");
    storageRetries = counter("farm.worker.storage.retries", "S3/PostgreSQL calls retried");
    deadLetters = counter("farm.worker.dead.letters", "Jobs published to the DLQ");
    renderTimeouts =
        counter(
            "farm.worker.render.timeouts",
            "Job attempts failed because their render ran past farm.worker.render-timeout");
    deadAttemptObjects =
        counter(
            "farm.worker.dead.attempt.objects.deleted",
            "Result objects of earlier attempts deleted after a retried job succeeded");
    Gauge.builder("farm.worker.render.stuck", stuckRenders, AtomicInteger::get)
        .description("Timed-out render calls that have not returned yet (1: render thread stuck)")
        .tag("worker", worker)
        .register(registry);
    Gauge.builder("farm.worker.numerics.selfcheck", numericsState, AtomicInteger::get)
        .description(
            "Numerics self-check at start: 1 passed, 0 failed (the worker takes no jobs),"
                + " -1 not finished yet")
        .tag("worker", worker)
        .register(registry);
    Gauge.builder("farm.worker.quarantined", quarantinedState, AtomicInteger::get)
        .description(
            "1 while the worker is quarantined (it claims no jobs; the reason is in the workers"
                + " registry and on /health), else 0")
        .tag("worker", worker)
        .register(registry);
    quarantines =
        counter(
            "farm.worker.quarantines",
            "Times the worker quarantined itself (its failed jobs succeeded on other workers)");
    renderTime =
        Timer.builder("farm.worker.render")
            .description("Time of one batched render call")
            .tag("worker", worker)
            .publishPercentileHistogram()
            .register(registry);
    batchSizes =
        DistributionSummary.builder("farm.worker.batch.size")
            .description("Jobs per render call")
            .tag("worker", worker)
            .serviceLevelObjectives(1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
            .register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder(name).description(help).tag("worker", worker).register(registry);
  }

  /** Records the start-up numerics verdict ({@code failure} null when it passed). */
  public void numericsChecked(String failure) {
    numericsFailure = failure;
    numericsState.set(failure == null ? 1 : 0);
  }

  /** The failed numerics self-check's summary, or null (passed or still running). */
  public String numericsFailure() {
    return numericsFailure;
  }

  /**
   * What {@code /health} reports as unhealthy, or null: {@code render_stuck} or {@code
   * numerics_selfcheck_failed: <summary>}.
   */
  public String healthProblem() {
    if (stuckRenders.get() > 0) {
      return "render_stuck";
    }
    String numerics = numericsFailure;
    return numerics == null ? null : "numerics_selfcheck_failed: " + numerics;
  }

  /** Records the worker's quarantine ({@code reason}) or its end ({@code null}). */
  public void quarantined(String reason) {
    quarantineReason = reason;
    quarantinedState.set(reason == null ? 0 : 1);
  }

  /** Counts one automatic quarantine. */
  public void quarantinedOnce() {
    quarantines.increment();
  }

  /**
   * What {@code /health} reports while the worker is healthy but out of service, or null: {@code
   * quarantined: <reason>}. Not a liveness failure: a restart would clear the quarantine and cost
   * more jobs their attempts.
   */
  public String healthNotice() {
    String q = quarantineReason;
    return q == null ? null : "quarantined: " + q;
  }

  /** The worker's configured compute precision ({@code farm.worker.precision}), for labels. */
  public WorkerMetrics precision(String p) {
    this.precision = p;
    return this;
  }

  public String precision() {
    return precision;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void rendered() {
    rendered.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void retried() {
    retried.increment();
  }

  public void released() {
    released.increment();
  }

  public void cancelled() {
    cancelled.increment();
  }

  public void skipped() {
    skipped.increment();
  }

  public void leaseLost() {
    leaseLosses.increment();
  }

  public void deadAttemptObjectsDeleted(int n) {
    deadAttemptObjects.increment(n);
  }

  public void storageRetry() {
    storageRetries.increment();
  }

  public void deadLettered() {
    deadLetters.increment();
  }

  public void renderTimedOut() {
    renderTimeouts.increment();
  }

  /** A render call ran past its timeout and has not returned yet. */
  public void renderStuck() {
    stuckRenders.incrementAndGet();
  }

  /** A timed-out render call finally returned. */
  public void renderReturned() {
    stuckRenders.decrementAndGet();
  }

  /** Timed-out render calls that have not returned yet. */
  public int stuckRenders() {
    return stuckRenders.get();
  }

  public void renderTook(Duration d, int batchSize) {
    renderTime.record(d);
    batchSizes.record(batchSize);
  }

  /**
   * Records the seconds per image of one render call ({@code seconds / images}, once per image), by
   * model and compute precision, for the dashboard's per-image render time.
   */
  public void renderedImages(String model, String precision, Duration took, int images) {
    if (images <= 0) {
      return;
    }
    Timer t =
        Timer.builder("farm.worker.render.image")
            .description("Render seconds per image (a render call's time over its images)")
            .tag("model", model == null ? "unknown" : model)
            .tag("precision", precision == null ? "unknown" : precision)
            .tag("worker", worker)
            .publishPercentileHistogram()
            .register(registry);
    Duration each = took.dividedBy(images);
    for (int i = 0; i < images; i++) {
      t.record(each);
    }
  }

  /** Records how long loading a model variant took (called by the renderer). */
  public void modelLoaded(String model, Duration took) {
    Timer.builder("farm.worker.model.load")
        .description("Time to load a model variant")
        .tag("model", model)
        .tag("worker", worker)
        .register(registry)
        .record(took);
  }

  /** A count by name, for tests and logs. */
  public double count(String name) {
    Counter c = registry.find(name).tag("worker", worker).counter();
    return c == null ? 0 : c.count();
  }
}
