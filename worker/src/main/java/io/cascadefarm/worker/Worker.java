package io.cascadefarm.worker;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.NumericsCheck;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.batch.BatchFormer;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import io.cascadefarm.worker.metrics.MetricsEndpoint;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.queue.ConsumerSettings;
import io.cascadefarm.worker.queue.JobRecord;
import io.cascadefarm.worker.queue.PollLoop;
import io.cascadefarm.worker.render.Backoff;
import io.cascadefarm.worker.render.BatchExecutor;
import io.cascadefarm.worker.render.Finisher;
import io.cascadefarm.worker.render.GroupRender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One render worker: a Kafka consumer in the workers' group, a render thread and a heartbeat
 * thread. Several may run in one JVM (standalone mode) sharing one {@link Renderer} (so models load
 * once) and, optionally, one meter registry. {@link #close()} drains: no new work, in-flight jobs
 * finish within {@code farm.worker.drain-timeout} or are released, offsets are committed.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final PrometheusMeterRegistry ownRegistry;
  private final ExecutorService renderThread;
  private final Finisher finisher;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService watchdog;
  private final Supplier<PollLoop> loops;
  private final Renderer renderer;
  private final CountDownLatch finished = new CountDownLatch(1);
  private PollLoop loop;
  private final Duration abortGrace;
  private Thread pollThread;
  private MetricsEndpoint endpoint;
  private boolean closed;

  /** A worker with its own Prometheus registry, served on {@code farm.worker.metrics-port}. */
  public Worker(WorkerConfig config, WorkerPorts ports, Renderer renderer) {
    this(config, ports, renderer, null);
  }

  /**
   * A worker recording into {@code registry} (shared by in-process workers; the caller serves it).
   * A null registry means: create one and serve it on {@code farm.worker.metrics-port}.
   */
  public Worker(WorkerConfig config, WorkerPorts ports, Renderer renderer, MeterRegistry registry) {
    this(config, ports, renderer, registry, () -> new KafkaConsumer<>(ConsumerSettings.of(config)));
  }

  Worker(
      WorkerConfig config,
      WorkerPorts ports,
      Renderer renderer,
      MeterRegistry registry,
      Supplier<Consumer<String, byte[]>> consumers) {
    this.config = config;
    this.renderer = renderer;
    this.ownRegistry =
        registry == null ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    this.metrics =
        new WorkerMetrics(registry == null ? ownRegistry : registry, config.workerId())
            .precision(config.precision());
    if (renderer instanceof CascadeRenderer cascade) {
      cascade.onModelLoaded(metrics::modelLoaded);
    }
    this.renderThread = Executors.newSingleThreadExecutor(named("render"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("heartbeat"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(named("watchdog"));
    this.finisher = Finisher.onOwnThread(named("finish"));
    BatchExecutor executor =
        new BatchExecutor(
            config,
            ports,
            GroupRender.with(renderer, ports.store()),
            heartbeats,
            watchdog,
            metrics,
            Clock.systemUTC(),
            d -> Thread.sleep(d.toMillis()),
            Backoff.jittered(config.retryBackoffBase(), config.retryBackoffMax()),
            finisher);
    BatchFormer<JobRecord> former =
        new BatchFormer<>(
            config.batchSize(),
            config.batchWait().toNanos(),
            r -> r.message().batchKey(),
            System::nanoTime);
    this.abortGrace =
        config.lease().compareTo(Duration.ofSeconds(30)) < 0
            ? config.lease()
            : Duration.ofSeconds(30);
    this.loops =
        () ->
            new PollLoop(
                consumers.get(),
                config.kafka().topics().jobs(),
                config.kafka().topics().retries(),
                config.kafka().topics().high(),
                config.kafka().topics().low(),
                config.lowAging(),
                former,
                2 * config.batchSize(),
                executor,
                renderThread,
                config.drainTimeout(),
                abortGrace);
  }

  public synchronized void start() {
    if (pollThread != null || closed) {
      throw new IllegalStateException("worker " + config.workerId() + " already started");
    }
    if (ownRegistry != null && config.metricsPort() > 0) {
      endpoint = MetricsEndpoint.start(config.metricsPort(), ownRegistry, metrics::healthProblem);
    }
    pollThread = named("poll").newThread(this::checkThenConsume);
    pollThread.start();
  }

  /**
   * The poll thread: the renderer's numerics self-check first (on the render thread, where libtorch
   * work runs), and only if it passed the Kafka consumer and its loop. A worker whose kernels
   * compute wrong numbers never joins the consumer group, so its partitions, and every job, go to
   * the healthy workers.
   */
  private void checkThenConsume() {
    NumericsCheck check;
    try {
      check = renderThread.submit(renderer::checkNumerics).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished.countDown();
      return;
    } catch (ExecutionException e) {
      check =
          new NumericsCheck(false, "numerics self-check threw " + e.getCause(), e.getCause() + "");
    }
    if (!check.passed()) {
      metrics.numericsChecked(check.summary());
      LOG.error(
          "worker {} takes NO jobs: its numerics self-check failed.\n{}",
          config.workerId(),
          check.details());
      finished.countDown();
      return;
    }
    metrics.numericsChecked(null);
    LOG.info("worker {}: {}", config.workerId(), check.summary());
    PollLoop started;
    synchronized (this) {
      if (closed) {
        finished.countDown();
        return;
      }
      started = loops.get(); // the Kafka consumer is created here: an unchecked worker holds none
      loop = started;
    }
    LOG.info(
        "worker {} consuming {} (retry lane {}) in group {} (batch size {})",
        config.workerId(),
        config.kafka().topics().jobs(),
        config.kafka().topics().retries(),
        config.consumerGroup(),
        config.batchSize());
    try {
      started.run();
    } finally {
      finished.countDown();
    }
  }

  /** Drains and stops; blocks until done (at most drain timeout + abort grace + 30 s). */
  @Override
  public void close() {
    PollLoop running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = loop;
    }
    try {
      if (running != null) {
        running.stop();
      }
      if (pollThread != null) {
        if (running == null) {
          pollThread.interrupt(); // still in the self-check, or it failed: nothing to drain
        }
        if (!finished.await(
            config.drainTimeout().plus(abortGrace).plus(Duration.ofSeconds(30)).toMillis(),
            TimeUnit.MILLISECONDS)) {
          LOG.warn("worker {} did not finish draining in time", config.workerId());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finisher.close(); // the last group's uploads and completions, under live leases
    heartbeats.shutdownNow();
    watchdog.shutdownNow();
    renderThread.shutdownNow();
    if (endpoint != null) {
      endpoint.close();
    }
    if (ownRegistry != null) {
      ownRegistry.close();
    }
    LOG.info("worker {} stopped", config.workerId());
  }

  public String id() {
    return config.workerId();
  }

  public WorkerMetrics metrics() {
    return metrics;
  }

  /** The port /metrics is served on, or -1 when this worker serves none. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** The Prometheus text of this worker's own registry (empty when the registry is shared). */
  public String scrape() {
    return ownRegistry == null ? "" : ownRegistry.scrape();
  }

  private java.util.concurrent.ThreadFactory named(String role) {
    return r -> {
      Thread t = new Thread(r, "farm-worker-" + config.workerId() + "-" + role);
      t.setDaemon(true);
      return t;
    };
  }
}
