package io.cascadefarm.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and S3 under one root directory ({@code <root>/kafka}, {@code <root>/postgres},
 * {@code <root>/s3}), started in parallel. Started again on the same root, every topic, committed
 * offset, row and object is still there. {@link #close()} stops all three in parallel (Kafka with a
 * controlled shutdown, PostgreSQL with {@code pg_ctl -m fast}).
 *
 * <pre>{@code
 * try (EmbeddedServices s = EmbeddedServices.builder(dataDir).kafkaPort(9092).build().start()) {
 *   s.toProperties().store(out, "farm standalone");
 * }
 * }</pre>
 */
public final class EmbeddedServices implements RunningServices {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

  private final EmbeddedKafka kafka;
  private final EmbeddedPostgres postgres;
  private final EmbeddedS3 s3;

  private final Builder options;

  private EmbeddedServices(Builder b) {
    this.options = b;
    Path root = b.root.toAbsolutePath();
    this.kafka =
        EmbeddedKafka.builder()
            .home(root.resolve("kafka"))
            .port(b.kafkaPort)
            .mode(b.kafkaMode)
            .build();
    this.postgres =
        EmbeddedPostgres.builder()
            .home(root.resolve("postgres"))
            .port(b.postgresPort)
            .user(b.dbUser)
            .password(b.dbPassword)
            .build();
    this.s3 =
        EmbeddedS3.builder()
            .home(root.resolve("s3"))
            .port(b.s3Port)
            .credentials(b.s3AccessKey, b.s3SecretKey)
            .bucket(b.s3Bucket)
            .region(b.s3Region)
            .build();
  }

  /**
   * @param root data directory; created if missing
   */
  public static Builder builder(Path root) {
    return new Builder(Objects.requireNonNull(root, "root"));
  }

  /** Starts the three servers in parallel; if one fails, the others are stopped again. */
  public EmbeddedServices start() {
    long t0 = System.nanoTime();
    requireFixedPortsFree();
    try {
      Parallel.runAll("embedded-start", List.of(kafka::start, postgres::start, s3::start));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("embedded services ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return this;
  }

  /** Fails before anything starts if a fixed port is taken (free ports are checked later). */
  private void requireFixedPortsFree() {
    if (options.kafkaPort != 0 && !kafka.isRunning()) {
      Ports.requireFree(options.kafkaPort, "Kafka broker");
    }
    if (options.postgresPort != 0 && !postgres.isRunning()) {
      Ports.requireFree(options.postgresPort, "PostgreSQL");
    }
    if (options.s3Port != 0 && !s3.isRunning()) {
      Ports.requireFree(options.s3Port, "S3");
    }
  }

  @Override
  public ServiceEndpoints endpoints() {
    return new ServiceEndpoints(
        kafka.bootstrapServers(),
        postgres.jdbcUrl(),
        postgres.user(),
        postgres.password(),
        s3.endpoint(),
        s3.accessKey(),
        s3.secretKey(),
        s3.bucket(),
        s3.region());
  }

  /** {@link ServiceEndpoints#toProperties()} of {@link #endpoints()}. */
  public Properties toProperties() {
    return endpoints().toProperties();
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedPostgres postgres() {
    return postgres;
  }

  public EmbeddedS3 s3() {
    return s3;
  }

  @Override
  public void close() {
    long t0 = System.nanoTime();
    try {
      Parallel.runAll("embedded-stop", List.of(kafka::close, postgres::close, s3::close));
    } catch (RuntimeException e) {
      LOG.warn("stopping the embedded services reported an error", e);
    }
    LOG.info("embedded services stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /** Options for {@link EmbeddedServices}; every port defaults to 0 (a free port). */
  public static final class Builder {
    private final Path root;
    private int kafkaPort;
    private int postgresPort;
    private int s3Port;
    private EmbeddedKafka.Mode kafkaMode = EmbeddedKafka.Mode.IN_PROCESS;
    private String dbUser = "farm";
    private String dbPassword = Secrets.random();
    private String s3AccessKey = "farm-access-key";
    private String s3SecretKey = Secrets.random();
    private String s3Bucket = "farm";
    private String s3Region = "us-east-1";

    private Builder(Path root) {
      this.root = root;
    }

    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    public Builder postgresPort(int port) {
      this.postgresPort = port;
      return this;
    }

    public Builder s3Port(int port) {
      this.s3Port = port;
      return this;
    }

    public Builder kafkaMode(EmbeddedKafka.Mode mode) {
      this.kafkaMode = Objects.requireNonNull(mode, "kafkaMode");
      return this;
    }

    public Builder dbCredentials(String user, String password) {
      this.dbUser = Objects.requireNonNull(user, "dbUser");
      this.dbPassword = Objects.requireNonNull(password, "dbPassword");
      return this;
    }

    public Builder s3Credentials(String accessKey, String secretKey) {
      this.s3AccessKey = Objects.requireNonNull(accessKey, "s3AccessKey");
      this.s3SecretKey = Objects.requireNonNull(secretKey, "s3SecretKey");
      return this;
    }

    public Builder s3Bucket(String bucket) {
      this.s3Bucket = bucket;
      return this;
    }

    public Builder s3Region(String region) {
      this.s3Region = Objects.requireNonNull(region, "s3Region");
      return this;
    }

    /**
     * @throws IllegalArgumentException for an invalid bucket or database user name
     */
    public EmbeddedServices build() {
      return new EmbeddedServices(this);
    }
  }
}
