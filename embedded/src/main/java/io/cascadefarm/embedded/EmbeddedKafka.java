package io.cascadefarm.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft combined mode (one node is broker and controller), started in
 * this JVM ({@link Mode#IN_PROCESS}) or as a child JVM ({@link Mode#CHILD_PROCESS}, which fault
 * tests can {@link #kill()}).
 *
 * <p>Layout of the home directory: {@code data/} (the log dir; formatted on first start only, so
 * topics, records and committed offsets survive restarts), {@code server.properties} (rewritten on
 * every start) and {@code broker.log} (child-process output). Port 0 picks a free port on the first
 * start; later {@link #start()} calls reuse the same ports. A fixed port that is busy fails with a
 * {@link PortInUseException}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().home(dir).build().start()) {
 *   String bootstrap = kafka.bootstrapServers(); // "localhost:<port>"
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** Where the broker runs. */
  public enum Mode {
    /** {@code kafka.server.KafkaRaftServer} in this JVM (starts in about 0.5–3 s). */
    IN_PROCESS,
    /** {@code kafka.Kafka} in a child JVM with this JVM's classpath (about 3–6 s); killable. */
    CHILD_PROCESS
  }

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int FREE_PORT_ATTEMPTS = 3;

  private final Path home;
  private final boolean temporaryHome;
  private final Mode mode;
  private final Duration startupTimeout;
  private final List<String> childJvmOptions;
  private final Map<String, String> extraProperties;
  private int port;
  private int controllerPort;
  private boolean portsSettled;
  private KafkaBroker broker;

  private EmbeddedKafka(Builder b) {
    this.temporaryHome = b.home == null;
    this.home = temporaryHome ? Dirs.createTemp("embedded-kafka") : b.home.toAbsolutePath();
    this.mode = b.mode;
    this.startupTimeout = b.startupTimeout;
    this.childJvmOptions = List.copyOf(b.childJvmOptions);
    this.extraProperties = Map.copyOf(b.properties);
    this.port = b.port;
    this.controllerPort = b.controllerPort;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the broker (formatting the log dir if new) and waits until it answers; no-op if up. */
  public synchronized EmbeddedKafka start() {
    if (isRunning()) {
      return this;
    }
    QuietLogging.apply();
    long t0 = System.nanoTime();
    boolean retryable = !portsSettled && (port == 0 || controllerPort == 0);
    for (int attempt = 1; ; attempt++) {
      int brokerPort = Ports.resolve(port, "Kafka broker");
      int ctrlPort = resolveControllerPort(brokerPort);
      try {
        startOnce(brokerPort, ctrlPort);
        break;
      } catch (RuntimeException e) {
        boolean conflict = !Ports.isFree(brokerPort) || !Ports.isFree(ctrlPort);
        if (!retryable || !conflict || attempt >= FREE_PORT_ATTEMPTS) {
          throw e;
        }
        LOG.warn("Kafka port {} or {} was taken meanwhile; retrying", brokerPort, ctrlPort);
      }
    }
    LOG.info(
        "Kafka ({}) ready at {} in {} ms, home {}",
        mode,
        bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000,
        home);
    return this;
  }

  private int resolveControllerPort(int brokerPort) {
    int ctrl = Ports.resolve(controllerPort, "Kafka controller");
    while (ctrl == brokerPort) {
      ctrl = Ports.pickFree();
    }
    return ctrl;
  }

  private void startOnce(int brokerPort, int ctrlPort) {
    Path dataDir = Dirs.create(home.resolve("data"));
    Path config = home.resolve("server.properties");
    Properties props =
        KafkaServerProperties.build(dataDir, brokerPort, ctrlPort, brokerOverrides());
    KafkaServerProperties.write(props, config);
    KafkaStorage.formatIfNeeded(dataDir, config);
    KafkaBroker candidate =
        mode == Mode.IN_PROCESS
            ? new InProcessKafkaBroker(props)
            : new ChildProcessKafkaBroker(config, home.resolve("broker.log"), childJvmOptions);
    try {
      candidate.start();
      KafkaReadiness.await(brokerPort, startupTimeout, candidate);
    } catch (RuntimeException e) {
      candidate.kill();
      throw e;
    }
    broker = candidate;
    port = brokerPort;
    controllerPort = ctrlPort;
    portsSettled = true;
  }

  /**
   * A SIGKILLed broker can only re-register once its old session expired
   * (DUPLICATE_BROKER_REGISTRATION until then), so the killable child mode uses a 3 s session
   * instead of Kafka's 9 s.
   */
  private Map<String, String> brokerOverrides() {
    Map<String, String> all = new LinkedHashMap<>();
    if (mode == Mode.CHILD_PROCESS) {
      all.put("broker.heartbeat.interval.ms", "500");
      all.put("broker.session.timeout.ms", "3000");
    }
    all.putAll(extraProperties);
    return all;
  }

  /** Orderly shutdown (SIGTERM for a child); data stays; {@link #start()} may be called again. */
  public synchronized void stop() {
    if (broker != null) {
      long t0 = System.nanoTime();
      broker.stop();
      broker = null;
      LOG.info("Kafka stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /**
   * Abrupt stop for fault tests: SIGKILL in {@link Mode#CHILD_PROCESS}; in {@link Mode#IN_PROCESS}
   * it is the same as {@link #stop()}.
   */
  public synchronized void kill() {
    if (broker != null) {
      broker.kill();
      broker = null;
    }
  }

  /** True while the broker was started and (for a child) its process is alive. */
  public synchronized boolean isRunning() {
    return broker != null && broker.isAlive();
  }

  /** {@code localhost:<port>}; the port is known after the first start. */
  public synchronized String bootstrapServers() {
    requirePorts();
    return "localhost:" + port;
  }

  public synchronized int port() {
    requirePorts();
    return port;
  }

  public Path home() {
    return home;
  }

  public Mode mode() {
    return mode;
  }

  private void requirePorts() {
    if (port == 0) {
      throw new IllegalStateException("Kafka port is chosen on the first start(); start it first");
    }
  }

  /** Stops the broker; a temporary home (no {@link Builder#home} given) is deleted. */
  @Override
  public synchronized void close() {
    stop();
    if (temporaryHome) {
      Dirs.deleteRecursively(home);
    }
  }

  /** Options for {@link EmbeddedKafka}; every setting has a default. */
  public static final class Builder {
    private Path home;
    private int port;
    private int controllerPort;
    private Mode mode = Mode.IN_PROCESS;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private List<String> childJvmOptions =
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** Persistent home directory; default: a temporary one deleted on {@link #close()}. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Client (PLAINTEXT) port; 0 (default) picks a free one on the first start. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** KRaft controller port; 0 (default) picks a free one on the first start. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How long to wait for {@code describeCluster} to answer (default 60 s). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = java.util.Objects.requireNonNull(timeout, "startupTimeout");
      return this;
    }

    /** JVM options of the child broker (replaces the defaults: 512 MB heap, C1 only, WARN log). */
    public Builder childJvmOptions(List<String> options) {
      this.childJvmOptions = List.copyOf(options);
      return this;
    }

    /** Any extra broker property; it overrides the defaults (e.g. {@code num.partitions}). */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }
  }
}
