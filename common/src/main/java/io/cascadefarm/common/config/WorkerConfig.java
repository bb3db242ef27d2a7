package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Typed configuration of a worker process. */
public record WorkerConfig(
    String workerId,
    String consumerGroup,
    int batchSize,
    Duration batchWait,
    Duration lease,
    Duration heartbeat,
    Duration retryBackoffBase,
    Duration retryBackoffMax,
    Duration drainTimeout,
    String modelsDir,
    KafkaSettings kafka,
    DbSettings db,
    S3Settings s3,
    int metricsPort,
    boolean faultInjection,
    Duration storageRetry) {
  public static final ConfigKey ID =
      new ConfigKey("farm.worker.id", "", "Worker name in job records (empty: host-pid)");
  public static final ConfigKey GROUP =
      new ConfigKey(
          "farm.worker.group",
          "farm-workers",
          "Kafka consumer group of the workers (the dispatcher reads it too, to steer retries)");
  public static final ConfigKey BATCH_SIZE =
      new ConfigKey(
          "farm.worker.batch-size", "4", "Most compatible jobs rendered in one pipeline call");
  public static final ConfigKey BATCH_WAIT =
      new ConfigKey(
          "farm.worker.batch-wait", "100ms", "How long to wait for more compatible jobs to batch");
  public static final ConfigKey LEASE =
      new ConfigKey("farm.worker.lease", "30s", "Lease a claimed job holds between heartbeats");
  public static final ConfigKey HEARTBEAT =
      new ConfigKey(
          "farm.worker.heartbeat", "10s", "How often a rendering worker renews its lease");
  public static final ConfigKey BACKOFF_BASE =
      new ConfigKey("farm.worker.retry-backoff", "2s", "First retry delay (doubles, with jitter)");
  public static final ConfigKey BACKOFF_MAX =
      new ConfigKey("farm.worker.retry-backoff-max", "60s", "Longest retry delay");
  public static final ConfigKey DRAIN =
      new ConfigKey(
          "farm.worker.drain-timeout", "60s", "On SIGTERM, time to finish in-flight jobs");
  public static final ConfigKey METRICS_PORT =
      new ConfigKey(
          "farm.worker.metrics-port", "0", "Port of the worker's Prometheus /metrics (0: off)");
  public static final ConfigKey FAULT_INJECTION =
      new ConfigKey(
          "farm.worker.fault-injection",
          "false",
          "TESTS ONLY: fail every job whose prompt contains __poison__ (retryable)");
  public static final ConfigKey STORAGE_RETRY =
      new ConfigKey(
          "farm.worker.storage-retry",
          "90s",
          "How long S3/PostgreSQL calls are retried in place (with backoff) before giving up");
  public static final ConfigKey MODELS_DIR =
      new ConfigKey("farm.models.dir", "models", "Directory holding downloaded model weights");

  public static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new ArrayList<>(
            List.of(
                ID,
                GROUP,
                BATCH_SIZE,
                BATCH_WAIT,
                LEASE,
                HEARTBEAT,
                BACKOFF_BASE,
                BACKOFF_MAX,
                DRAIN,
                METRICS_PORT,
                FAULT_INJECTION,
                STORAGE_RETRY,
                MODELS_DIR));
    keys.addAll(KafkaSettings.KEYS);
    keys.addAll(DbSettings.KEYS);
    keys.addAll(S3Settings.KEYS);
    return keys;
  }

  public static WorkerConfig from(ConfigSource c) {
    String id = c.get(ID);
    if (id.isEmpty()) {
      id = defaultWorkerId();
    }
    return new WorkerConfig(
        id,
        c.get(GROUP),
        c.getInt(BATCH_SIZE),
        c.getDuration(BATCH_WAIT),
        c.getDuration(LEASE),
        c.getDuration(HEARTBEAT),
        c.getDuration(BACKOFF_BASE),
        c.getDuration(BACKOFF_MAX),
        c.getDuration(DRAIN),
        c.get(MODELS_DIR),
        KafkaSettings.from(c),
        DbSettings.from(c),
        S3Settings.from(c),
        c.getInt(METRICS_PORT),
        c.getBoolean(FAULT_INJECTION),
        c.getDuration(STORAGE_RETRY));
  }

  private static String defaultWorkerId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "worker");
    return host + "-" + ProcessHandle.current().pid();
  }
}
