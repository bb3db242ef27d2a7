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
  private final BatchExecutor executor;
  private final io.cascadefarm.worker.registry.WorkerRegistration registration; // null: none
  private boolean held; // drained or quarantined: no consumer until released

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
    this.registration =
        ports.registry() == null
            ? null
            : new io.cascadefarm.worker.registry.WorkerRegistration(
                config.workerId(),
                config.precision(),
                config.registry(),
                ports.registry(),
                metrics,
                Clock.systemUTC(),
                () -> devices(renderer));
    if (renderer.unwrapped() instanceof CascadeRenderer cascade) {
      cascade.onModelLoaded(metrics::modelLoaded);
      if (registration != null) {
        cascade.onModelLoaded((model, took) -> registration.modelLoaded(model));
      }
    }
    this.renderThread = Executors.newSingleThreadExecutor(named("render"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("heartbeat"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(named("watchdog"));
    this.finisher = Finisher.onOwnThread(named("finish"));
    this.executor =
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
    if (registration != null) {
      executor.onAttemptEnded(
          (job, ok) -> registration.attemptEnded(job.id(), job.params().model(), ok));
    }
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
      endpoint =
          MetricsEndpoint.start(
              config.metricsPort(), ownRegistry, metrics::healthProblem, metrics::healthNotice);
    }
    if (registration != null) {
      registration.start(new Control());
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
    if (registration != null) {
      registration.numericsChecked(check.passed(), check.summary());
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
    try {
      consumeUntilClosed();
    } finally {
      finished.countDown();
    }
  }

  /**
   * Runs consumer loops until the worker closes: one loop while the worker is in service; while it
   * is held (drained by an operator or quarantined) it holds no consumer, so its partitions go to
   * the other workers, and a release starts a new loop.
   */
  private void consumeUntilClosed() {
    while (true) {
      PollLoop started;
      synchronized (this) {
        while (held && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (closed) {
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
      started.run();
      synchronized (this) {
        loop = null;
      }
      if (registration != null) {
        registration.loopEnded();
      }
    }
  }

  /** The registration's hold on this worker: drain, quarantine, release. */
  private final class Control implements io.cascadefarm.worker.registry.WorkerRegistration.Control {
    @Override
    public void quarantine(String reason) {
      executor.releaseCurrent("worker " + config.workerId() + " quarantined");
      hold(reason);
    }

    @Override
    public void hold(String reason) {
      PollLoop running;
      synchronized (Worker.this) {
        held = true;
        running = loop;
      }
      LOG.warn("worker {} stops claiming jobs: {}", config.workerId(), reason);
      if (running != null) {
        running.stop();
      }
    }

    @Override
    public void resume() {
      synchronized (Worker.this) {
        executor.resetAbort();
        held = false;
        Worker.this.notifyAll();
      }
      LOG.info("worker {} claims jobs again", config.workerId());
    }

    @Override
    public java.util.List<java.util.UUID> currentJobs() {
      return executor.currentJobs();
    }
  }

  /** The compute devices the worker renders on, for the registry. */
  private static java.util.List<String> devices(Renderer renderer) {
    String cpu = "cpu (" + Runtime.getRuntime().availableProcessors() + " cores)";
    if (!(renderer.unwrapped() instanceof CascadeRenderer)) {
      return java.util.List.of(cpu);
    }
    try {
      java.util.List<String> out = new java.util.ArrayList<>();
      io.cascadefarm.cascade.model.Devices.visibleGpus().forEach(d -> out.add(d.toString()));
      String used = io.cascadefarm.cascade.model.Devices.defaultDevice().toString();
      out.add(0, used.startsWith("cpu") ? cpu : used + " (renders)");
      return java.util.List.copyOf(new java.util.LinkedHashSet<>(out));
    } catch (RuntimeException | LinkageError e) {
      return java.util.List.of(cpu);
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
      notifyAll();
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
    if (registration != null) {
      registration.close();
    }
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

  /** The registry state this worker reports (active, drained, quarantined, ...), or null. */
  public String registryState() {
    return registration == null ? null : registration.state();
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
