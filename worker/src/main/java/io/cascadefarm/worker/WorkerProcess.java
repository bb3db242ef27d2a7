package io.cascadefarm.worker;

import io.cascadefarm.common.config.TrainSettings;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.StatementCounter;
import io.cascadefarm.infra.kafka.KafkaPublishers;
import io.cascadefarm.infra.kafka.KafkaTopics;
import io.cascadefarm.infra.s3.S3ObjectStore;
import io.cascadefarm.worker.cascade.RenderDevices;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers wired to the real adapters of one process: PostgreSQL ({@link Database}, migrated on
 * start so a worker may start before the dispatcher), S3, and one Kafka producer for events and
 * dead letters; the topics are created if missing. The workers share these adapters; the workers of
 * one device share its renderer (models load once per device); worker {@code n > 0} gets the id
 * {@code <id>-<n>}. {@link #close()} drains every worker, then closes the renderers the process
 * built and the adapters.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
  private final Database db;
  private final S3ObjectStore objects;
  private final KafkaPublishers kafka;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Renderer> ownedRenderers = new ArrayList<>();
  private io.cascadefarm.worker.models.ModelReporter models;
  private io.cascadefarm.worker.train.TrainLane train;

  private WorkerProcess(Database db, S3ObjectStore objects, KafkaPublishers kafka) {
    this.db = db;
    this.objects = objects;
    this.kafka = kafka;
  }

  /** One worker with its own metrics registry (served on {@code farm.worker.metrics-port}). */
  public static WorkerProcess start(WorkerConfig config, Renderer renderer) {
    return start(config, renderer, 1, null);
  }

  /**
   * {@code count} workers (0 allowed) recording into {@code registry}; a null registry gives each
   * worker its own, and only the first one serves it on {@code farm.worker.metrics-port}.
   */
  public static WorkerProcess start(
      WorkerConfig config, Renderer renderer, int count, MeterRegistry registry) {
    return start(config, renderer, count, registry, TrainSettings.DEFAULT);
  }

  /**
   * As above, plus the training lane with {@code train.slots()} slots (training needs the
   * renderer's model registry: a {@link io.cascadefarm.worker.cascade.CascadeRenderer}).
   */
  public static WorkerProcess start(
      WorkerConfig config,
      Renderer renderer,
      int count,
      MeterRegistry registry,
      TrainSettings train) {
    return start(config, List.of(renderer), count, registry, train);
  }

  /** As below, with the default training settings. */
  public static WorkerProcess start(
      WorkerConfig config,
      Function<WorkerConfig, Renderer> renderers,
      int perDevice,
      MeterRegistry registry) {
    return start(config, renderers, perDevice, registry, TrainSettings.DEFAULT);
  }

  /**
   * One render loop per device of {@code farm.worker.devices} ({@link RenderDevices}), {@code
   * perDevice} workers on each, with the renderer {@code renderers} builds from the config narrowed
   * to that device (so its models live there), plus the training lane (on the first device's
   * renderer); the process closes these renderers after draining.
   */
  public static WorkerProcess start(
      WorkerConfig config,
      Function<WorkerConfig, Renderer> renderers,
      int perDevice,
      MeterRegistry registry,
      TrainSettings train) {
    List<Renderer> built = new ArrayList<>();
    try {
      for (String device : RenderDevices.resolve(config.devices())) {
        built.add(renderers.apply(derive(config, config.workerId(), config.metricsPort(), device)));
      }
      WorkerProcess p = start(config, built, perDevice, registry, train);
      p.ownedRenderers.addAll(built);
      return p;
    } catch (RuntimeException e) {
      closeQuietly(built.stream().map(WorkerProcess::closer).toArray(AutoCloseable[]::new));
      throw e;
    }
  }

  private static WorkerProcess start(
      WorkerConfig config,
      List<Renderer> renderers,
      int perRenderer,
      MeterRegistry registry,
      TrainSettings train) {
    Database db = Database.create(config.db());
    S3ObjectStore objects = null;
    KafkaPublishers kafka = null;
    try {
      db.migrate();
      objects = S3ObjectStore.connect(config.s3());
      KafkaTopics.ensure(
          config.kafka().bootstrapServers(),
          config.kafka().topics(),
          config.kafka().jobPartitions());
      kafka = KafkaPublishers.create(config.kafka(), "farm-worker-" + config.workerId());
      WorkerProcess p = new WorkerProcess(db, objects, kafka);
      Renderer first = renderers.isEmpty() ? null : renderers.get(0).unwrapped();
      p.models =
          new io.cascadefarm.worker.models.ModelReporter(
                  new io.cascadefarm.db.WorkerModelTable(db.dataSource()),
                  config.workerId(),
                  java.nio.file.Path.of(config.modelsDir()),
                  config.precision(),
                  deviceOf(first),
                  java.time.Clock.systemUTC())
              .start();
      for (Renderer r : renderers) {
        if (r.unwrapped() instanceof io.cascadefarm.worker.cascade.CascadeRenderer cascade) {
          cascade.onModelLoaded(p.models::loaded);
          if (cascade.modelRegistry() != null) {
            cascade
                .modelRegistry()
                .useVariants(
                    new io.cascadefarm.worker.models.StoredFineTunedModels(
                        objects, java.nio.file.Path.of(config.modelsDir()).resolve(".fine-tuned")));
          }
        }
      }
      WorkerPorts ports =
          new WorkerPorts(db.jobStore(), objects, kafka.events(), kafka.deadLetters())
              .withRegistry(db.workers());
      int n = 0;
      for (Renderer renderer : renderers) {
        for (int i = 0; i < perRenderer; i++, n++) {
          WorkerConfig c = n == 0 ? config : withId(config, config.workerId() + "-" + n);
          Worker w = new Worker(c, ports, renderer, registry);
          p.workers.add(w);
          w.start();
        }
      }
      if (perRenderer > 0 || train.slots() > 0) {
        p.train =
            io.cascadefarm.worker.train.TrainLane.start(
                config,
                ports,
                first instanceof io.cascadefarm.worker.cascade.CascadeRenderer c
                    ? c.modelRegistry()
                    : null,
                train);
      }
      return p;
    } catch (RuntimeException e) {
      closeQuietly(kafka, objects, db);
      throw e;
    }
  }

  /** The compute device a renderer with a model registry uses; null for other renderers. */
  private static java.util.function.Supplier<String> deviceOf(Renderer renderer) {
    if (renderer != null
        && renderer.unwrapped() instanceof io.cascadefarm.worker.cascade.CascadeRenderer c) {
      return () -> {
        io.cascadefarm.cascade.model.ModelRegistry r = c.modelRegistry();
        return r == null ? null : r.device().toString();
      };
    }
    return () -> null;
  }

  /** Worker {@code id}'s config: as {@code c}, without the metrics port. */
  static WorkerConfig withId(WorkerConfig c, String id) {
    return derive(c, id, 0, c.devices());
  }

  /** {@code c} with another id, metrics port (0: off) and device setting. */
  static WorkerConfig derive(WorkerConfig c, String id, int metricsPort, String devices) {
    return new WorkerConfig(
        id,
        c.consumerGroup(),
        c.batchSize(),
        c.batchWait(),
        c.lease(),
        c.heartbeat(),
        c.retryBackoffBase(),
        c.retryBackoffMax(),
        c.drainTimeout(),
        c.modelsDir(),
        c.kafka(),
        c.db(),
        c.s3(),
        metricsPort,
        c.storageRetry(),
        c.renderTimeout(),
        c.precision(),
        c.lowAging(),
        devices,
        c.registry());
  }

  /** SQL statements this process's workers have sent so far. */
  public StatementCounter.Counts statements() {
    return db.statements();
  }

  public List<Worker> workers() {
    return List.copyOf(workers);
  }

  /** Drains all workers in parallel, then closes Kafka, S3 and the pool. */
  @Override
  public void close() {
    if (train != null) {
      train.close();
    }
    List<Thread> closing = new ArrayList<>();
    for (Worker w : workers) {
      Thread t = new Thread(w::close, "farm-worker-close-" + w.id());
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly(ownedRenderers.stream().map(WorkerProcess::closer).toArray(AutoCloseable[]::new));
    closeQuietly(models, kafka, objects, db);
    LOG.info("worker process stopped");
  }

  private static AutoCloseable closer(Renderer r) {
    return r instanceof AutoCloseable c ? c : null;
  }

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
