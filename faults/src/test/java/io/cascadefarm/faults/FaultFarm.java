package io.cascadefarm.faults;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.S3Settings;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.EmbeddedKafka;
import io.cascadefarm.embedded.EmbeddedServices;
import io.cascadefarm.infra.s3.S3ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The farm under test, one per test JVM ({@link #shared()}): private embedded Kafka (a killable
 * child JVM), PostgreSQL and S3 under {@code <farm.faults.dir>/services}, the dispatcher (in this
 * JVM, or as a child process), a pool of worker OS processes ({@link WorkerPool}), and the
 * observers the assertions use (HTTP API, PostgreSQL audit, S3 listing, dead-letter reader). Closed
 * by a shutdown hook; every child process is SIGKILLed if still alive.
 */
final class FaultFarm implements AutoCloseable {
  static final String PREFIX = "faults";
  private static FaultFarm shared;

  final FaultProfile profile;
  final EmbeddedServices services;
  final JobAudit audit;
  final S3ObjectStore objects;
  final WorkerPool workers;
  private Dispatcher dispatcher;
  private ChildJvm dispatcherProcess;
  private FarmHttp http;

  private FaultFarm(FaultProfile profile) {
    this.profile = profile;
    wipe(profile.dir().resolve("services")); // every run starts from empty servers
    wipe(profile.dir().resolve("logs"));
    this.services =
        EmbeddedServices.builder(profile.dir().resolve("services"))
            .kafkaMode(EmbeddedKafka.Mode.CHILD_PROCESS)
            .build()
            .start();
    var e = services.endpoints();
    this.audit = new JobAudit(e.jdbcUrl(), e.dbUser(), e.dbPassword());
    this.objects = S3ObjectStore.connect(S3Settings.from(ConfigSource.of(settings())));
    this.workers = new WorkerPool(this);
  }

  /** The farm of this JVM: started on first use with the dispatcher in process and 3 workers. */
  static synchronized FaultFarm shared() {
    if (shared == null) {
      shared = new FaultFarm(FaultProfile.current());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "faults-farm-close"));
      shared.startDispatcher();
      shared.workers.ensure(3);
    }
    return shared;
  }

  /** Connection keys of the services plus the suite's topic prefix, group and worker settings. */
  Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    services.toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.kafka.topic-prefix", PREFIX);
    m.put("farm.kafka.job-partitions", "6");
    m.put("farm.worker.group", workerGroup());
    m.put("farm.worker.batch-size", "2");
    m.put("farm.worker.batch-wait", "100ms");
    m.put("farm.worker.drain-timeout", "30s");
    m.put("farm.auth.enabled", "false"); // acts as tenant default; auth is tested in dispatcher
    m.put("farm.training.finetune-enabled", "true"); // FinetuneKillTest
    m.put("farm.models.dir", profile.dir().resolve("models").toString());
    m.putAll(profile.workerSettings());
    m.putAll(profile.dispatcherSettings());
    return m;
  }

  String bootstrap() {
    return services.kafka().bootstrapServers();
  }

  String workerGroup() {
    return PREFIX + "-workers";
  }

  String jobsTopic() {
    return io.cascadefarm.common.topic.Topics.withPrefix(PREFIX).jobs();
  }

  String deadLetterTopic() {
    return io.cascadefarm.common.topic.Topics.withPrefix(PREFIX).deadLetter();
  }

  FarmHttp http() {
    return http;
  }

  /** The dispatcher in this JVM (port chosen freely). */
  synchronized void startDispatcher() {
    Map<String, String> m = settings();
    m.put("farm.http.host", "127.0.0.1");
    m.put("farm.http.port", "0");
    dispatcher = Dispatchers.fromConfig(DispatcherConfig.from(ConfigSource.of(m)));
    dispatcher.start();
    http = new FarmHttp("http://127.0.0.1:" + dispatcher.port());
  }

  /** True while the in-process dispatcher runs. */
  synchronized boolean dispatcherInProcess() {
    return dispatcher != null;
  }

  synchronized void stopDispatcher() {
    if (dispatcher != null) {
      dispatcher.close();
      dispatcher = null;
    }
  }

  /** The dispatcher as a child process (so it can be SIGKILLed); waits until it answers. */
  synchronized ChildJvm startDispatcherProcess() {
    int port = freePort();
    Map<String, String> m = settings();
    m.put("farm.http.host", "127.0.0.1");
    m.put("farm.http.port", String.valueOf(port));
    Path config = writeProperties(profile.dir().resolve("dispatcher.properties"), m);
    dispatcherProcess =
        ChildJvm.start(
            "dispatcher-" + System.currentTimeMillis(),
            profile.dir().resolve("logs"),
            FaultDispatcherMain.class,
            List.of("-Xmx512m", "-XX:+UseSerialGC"),
            List.of(config.toString()));
    http = new FarmHttp("http://127.0.0.1:" + port);
    FarmHttp h = http;
    Await.until(
        "the dispatcher process to answer",
        Duration.ofSeconds(180),
        () -> h.send("GET", "/healthz", null).status() == 200,
        dispatcherProcess::toString);
    return dispatcherProcess;
  }

  static Path writeProperties(Path file, Map<String, String> values) {
    Properties p = new Properties();
    p.putAll(values);
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "fault-injection suite");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    workers.killAll();
    ChildJvm.killAll();
    stopDispatcher();
    objects.close();
    services.close();
  }
}
