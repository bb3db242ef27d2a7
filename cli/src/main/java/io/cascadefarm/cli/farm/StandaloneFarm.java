package io.cascadefarm.cli.farm;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.EmbeddedServices;
import io.cascadefarm.embedded.PortInUseException;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.worker.WorkerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole farm in one JVM: embedded Kafka, PostgreSQL and S3 under the data directory, the
 * dispatcher (schema migrated, topics and bucket ensured) and {@code workers} in-process workers
 * sharing one renderer (by default {@link FarmRenderers#create}, the Stable Cascade pipeline, with
 * the model warmed up before the workers start). Started again on the same data directory, every
 * job is still there. {@link #close()} stops in order: workers drain, the dispatcher closes, the
 * services stop.
 */
public final class StandaloneFarm implements AutoCloseable {
  private final StandaloneOptions options;
  private final EmbeddedServices services;
  private final Dispatcher dispatcher;
  private final WorkerProcess workers;
  private final Renderer renderer;
  private final boolean ownsRenderer;
  private final MeterRegistry registry;
  private final Path propertiesFile;

  private StandaloneFarm(
      StandaloneOptions options,
      EmbeddedServices services,
      Dispatcher dispatcher,
      WorkerProcess workers,
      Renderer renderer,
      boolean ownsRenderer,
      MeterRegistry registry,
      Path propertiesFile) {
    this.options = options;
    this.services = services;
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.renderer = renderer;
    this.ownsRenderer = ownsRenderer;
    this.registry = registry;
    this.propertiesFile = propertiesFile;
  }

  /** Starts everything, printing one line per phase to {@code progress}. */
  public static StandaloneFarm start(StandaloneOptions o, PrintStream progress) {
    if (o.httpPort() != 0) {
      PortCheck.requireFree(o.httpPort(), "the HTTP API (--port)");
    }
    Path dir = o.dataDir().toAbsolutePath().normalize();
    boolean first = !Files.isDirectory(dir.resolve("postgres"));
    Phase phase = new Phase(progress);
    phase.begin(
        "starting Kafka, PostgreSQL and S3 under "
            + dir
            + (first
                ? " (first start: extracting the PostgreSQL binaries and initialising the data"
                    + " directories, this takes a little longer)"
                : ""));
    EmbeddedServices services;
    StandaloneSecrets secrets = StandaloneSecrets.loadOrCreate(dir);
    try {
      services =
          EmbeddedServices.builder(dir)
              .dbCredentials("farm", secrets.dbPassword())
              .s3Credentials(secrets.s3AccessKey(), secrets.s3SecretKey())
              .kafkaPort(o.kafkaPort())
              .postgresPort(o.postgresPort())
              .s3Port(o.s3Port())
              .build()
              .start();
    } catch (PortInUseException e) {
      throw new IllegalStateException(e.getMessage() + " [" + flagOf(e.port(), o) + "]", e);
    }
    phase.done();
    Dispatcher dispatcher = null;
    try {
      Map<String, String> settings = settings(services.endpoints(), o);
      phase.begin("migrating the schema, ensuring topics and bucket, starting the API");
      dispatcher = Dispatchers.fromConfig(DispatcherConfig.from(ConfigSource.load(null, settings)));
      int port = dispatcher.start();
      phase.done();
      settings.put(DispatcherConfig.PORT.name(), String.valueOf(port));
      Path props = FarmProperties.write(dir, settings);
      Renderer renderer = null;
      boolean ownsRenderer = false;
      WorkerProcess workers = null;
      // the in-process workers' metrics (retries, dead letters, lease losses) join the API's
      // /metrics
      MeterRegistry registry = dispatcher.metrics().registry();
      if (o.workers() > 0) {
        WorkerConfig wc = WorkerConfig.from(ConfigSource.load(null, settings));
        ownsRenderer = o.renderer() == null;
        renderer = ownsRenderer ? FarmRenderers.create(wc) : o.renderer();
        try {
          phase.begin("loading model " + o.model() + " (tiny: weights generated on first use)");
          FarmRenderers.warmUp(renderer, o.model());
          phase.done();
          phase.begin("starting " + o.workers() + " in-process worker(s)");
          workers =
              WorkerProcess.start(
                  wc,
                  renderer,
                  o.workers(),
                  registry,
                  io.cascadefarm.common.config.TrainSettings.from(
                      ConfigSource.load(null, settings)));
          phase.done();
        } catch (RuntimeException e) {
          if (ownsRenderer) {
            FarmRenderers.close(renderer);
          }
          throw e;
        }
      }
      return new StandaloneFarm(
          o, services, dispatcher, workers, renderer, ownsRenderer, registry, props);
    } catch (RuntimeException e) {
      if (dispatcher != null) {
        dispatcher.close();
      }
      services.close();
      throw e;
    }
  }

  private static String flagOf(int port, StandaloneOptions o) {
    if (port == o.kafkaPort()) {
      return "--kafka-port";
    }
    return port == o.postgresPort() ? "--postgres-port" : "--s3-port";
  }

  /** The services' endpoints, the HTTP port, and the caller's settings on top. */
  private static Map<String, String> settings(ServiceEndpoints e, StandaloneOptions o) {
    Map<String, String> s = new HashMap<>();
    e.toProperties().forEach((k, v) -> s.put((String) k, (String) v));
    s.put(DispatcherConfig.PORT.name(), String.valueOf(o.httpPort()));
    // local use: authentication is off unless --auth (or --set farm.auth.enabled=true); the banner
    // says so
    s.put(io.cascadefarm.common.config.TenantSettings.AUTH_ENABLED.name(), "false");
    // local use: webhooks may target this machine (a receiver on localhost)
    s.put(io.cascadefarm.common.config.WebhookSettings.ALLOW_PRIVATE.name(), "true");
    // local use: one user who is the farm's admin may fine-tune (README, Training)
    s.put(io.cascadefarm.common.config.TrainingGate.FINETUNE_ENABLED.name(), "true");
    s.putAll(o.settings());
    return s;
  }

  /** {@code http://localhost:<port>}. */
  public String apiUrl() {
    return dispatcher.baseUrl();
  }

  public int httpPort() {
    return dispatcher.port();
  }

  public ServiceEndpoints endpoints() {
    return services.endpoints();
  }

  public Path propertiesFile() {
    return propertiesFile;
  }

  public StandaloneOptions options() {
    return options;
  }

  /** The workers' renderer, or null when there are no workers. */
  public Renderer renderer() {
    return renderer;
  }

  /** The meters of the in-process workers (e.g. {@code farm.worker.render}). */
  public MeterRegistry workerMetrics() {
    return registry;
  }

  /** What the in-process workers have sent to PostgreSQL so far, by operation (none: zeros). */
  public io.cascadefarm.db.StatementCounter.Counts workerStatementCounts() {
    return workers == null
        ? new io.cascadefarm.db.StatementCounter.Counts(0, 0, 0, java.util.Map.of())
        : workers.statements();
  }

  /** SQL statements the in-process workers have sent so far (0 without workers). */
  public long workerStatements() {
    return workers == null ? 0 : workers.statements().statements();
  }

  /** Drains the workers, closes the dispatcher, stops the services; returns the time it took. */
  public Duration stop() {
    long t0 = System.nanoTime();
    if (workers != null) {
      workers.close();
    }
    if (ownsRenderer) {
      FarmRenderers.close(renderer);
    }
    dispatcher.close();
    services.close();
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Override
  public void close() {
    stop();
  }
}
