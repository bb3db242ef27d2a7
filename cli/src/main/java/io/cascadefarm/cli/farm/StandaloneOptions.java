package io.cascadefarm.cli.farm;

import io.cascadefarm.common.port.Renderer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link StandaloneFarm} starts.
 *
 * @param dataDir root of the Kafka, PostgreSQL and S3 data and of {@code farm.properties}
 * @param httpPort API port (0: a free one)
 * @param kafkaPort Kafka broker port (0: a free one)
 * @param postgresPort PostgreSQL port (0: a free one)
 * @param s3Port S3 port (0: a free one)
 * @param workers in-process workers, 0 allowed
 * @param model the model standalone mode is meant for (described at startup)
 * @param renderer the workers' renderer, or null for {@link FarmRenderers#create}
 * @param settings extra {@code farm.*} settings for the dispatcher and workers (e.g. batch size)
 */
public record StandaloneOptions(
    Path dataDir,
    int httpPort,
    int kafkaPort,
    int postgresPort,
    int s3Port,
    int workers,
    String model,
    Renderer renderer,
    Map<String, String> settings) {
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_KAFKA_PORT = 19092;
  public static final int DEFAULT_POSTGRES_PORT = 15432;
  public static final int DEFAULT_S3_PORT = 19000;

  public StandaloneOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(model, "model");
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    if (workers < 0) {
      throw new IllegalArgumentException("--workers must be >= 0 but was " + workers);
    }
    checkPort("--port", httpPort);
    checkPort("--kafka-port", kafkaPort);
    checkPort("--postgres-port", postgresPort);
    checkPort("--s3-port", s3Port);
  }

  /** Free ports everywhere (tests): the given data dir, {@code workers} workers, model tiny. */
  public static StandaloneOptions ephemeral(Path dataDir, int workers, Renderer renderer) {
    return new StandaloneOptions(dataDir, 0, 0, 0, 0, workers, "tiny", renderer, Map.of());
  }

  /** Whether the API asks for API keys: off in standalone mode unless set to true. */
  public boolean authEnabled() {
    return Boolean.parseBoolean(
        settings.getOrDefault(
            io.cascadefarm.common.config.TenantSettings.AUTH_ENABLED.name(), "false"));
  }

  /** A copy with other ports (e.g. the same ports again after a restart). */
  public StandaloneOptions withPorts(int http, int kafka, int postgres, int s3) {
    return new StandaloneOptions(
        dataDir, http, kafka, postgres, s3, workers, model, renderer, settings);
  }

  /** A copy with {@code more} settings on top of these. */
  public StandaloneOptions withSettings(Map<String, String> more) {
    Map<String, String> merged = new java.util.HashMap<>(settings);
    merged.putAll(more);
    return new StandaloneOptions(
        dataDir, httpPort, kafkaPort, postgresPort, s3Port, workers, model, renderer, merged);
  }

  private static void checkPort(String flag, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(flag + " must be 0..65535 but was " + port);
    }
  }
}
