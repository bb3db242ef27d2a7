package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed configuration of the dispatcher process (HTTP API, outbox relay, lease reaper, API keys and
 * per-tenant limits). It also reads the workers' {@code farm.worker.group}: the relay steers a
 * retried job to a partition another worker of that group consumes.
 */
public record DispatcherConfig(
    String host,
    int port,
    KafkaSettings kafka,
    DbSettings db,
    S3Settings s3,
    ApiLimits limits,
    int maxAttempts,
    Duration outboxInterval,
    Duration reaperInterval,
    TenantSettings tenants,
    String workerGroup,
    ResultSettings results,
    HttpSettings http,
    WebhookSettings webhooks,
    java.time.Duration lowAging,
    RegistrySettings workers,
    TrainingGate training) {

  public static final ConfigKey HOST =
      new ConfigKey("farm.http.host", "0.0.0.0", "Interface the HTTP API listens on");
  public static final ConfigKey PORT = new ConfigKey("farm.http.port", "8080", "HTTP API port");
  public static final ConfigKey MAX_ATTEMPTS =
      new ConfigKey("farm.jobs.max-attempts", "3", "Attempts per job before it is failed for good");
  public static final ConfigKey OUTBOX_INTERVAL =
      new ConfigKey(
          "farm.outbox.interval", "200ms", "How often the relay looks for unpublished jobs");
  public static final ConfigKey REAPER_INTERVAL =
      new ConfigKey(
          "farm.reaper.interval", "5s", "How often expired leases are looked for and re-queued");

  /** Every key this process reads, for docs and deploy checks. */
  public static List<ConfigKey> keys() {
    List<ConfigKey> keys =
        new ArrayList<>(
            List.of(
                HOST,
                PORT,
                MAX_ATTEMPTS,
                OUTBOX_INTERVAL,
                REAPER_INTERVAL,
                WorkerConfig.GROUP,
                WorkerConfig.LOW_AGING));
    keys.addAll(HttpSettings.KEYS);
    keys.addAll(ApiLimits.KEYS);
    keys.addAll(TenantSettings.KEYS);
    keys.addAll(KafkaSettings.KEYS);
    keys.addAll(DbSettings.KEYS);
    keys.addAll(S3Settings.KEYS);
    keys.addAll(ResultSettings.KEYS);
    keys.addAll(WebhookSettings.KEYS);
    keys.addAll(RegistrySettings.DISPATCHER_KEYS);
    keys.addAll(TrainingGate.KEYS);
    return keys;
  }

  public static DispatcherConfig from(ConfigSource c) {
    return new DispatcherConfig(
        c.get(HOST),
        c.getInt(PORT),
        KafkaSettings.from(c),
        DbSettings.from(c),
        S3Settings.from(c),
        ApiLimits.from(c),
        c.getInt(MAX_ATTEMPTS),
        c.getDuration(OUTBOX_INTERVAL),
        c.getDuration(REAPER_INTERVAL),
        TenantSettings.from(c),
        c.get(WorkerConfig.GROUP),
        ResultSettings.from(c),
        HttpSettings.from(c),
        WebhookSettings.from(c),
        c.getDuration(WorkerConfig.LOW_AGING),
        RegistrySettings.from(c),
        TrainingGate.from(c));
  }
}
