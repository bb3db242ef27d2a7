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
    Duration storageRetry,
    Duration renderTimeout,
    String precision,
    Duration lowAging,
    String devices,
    RegistrySettings registry) {

  /** This config with another worker id (in-process workers of one process). */
  public WorkerConfig withWorkerId(String id) {
    return new WorkerConfig(
        id,
        consumerGroup,
        batchSize,
        batchWait,
        lease,
        heartbeat,
        retryBackoffBase,
        retryBackoffMax,
        drainTimeout,
        modelsDir,
        kafka,
        db,
        s3,
        metricsPort,
        storageRetry,
        renderTimeout,
        precision,
        lowAging,
        devices,
        registry);
  }

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
  public static final ConfigKey STORAGE_RETRY =
      new ConfigKey(
          "farm.worker.storage-retry",
          "90s",
          "How long S3/PostgreSQL calls are retried in place (with backoff) before giving up");

  /**
   * Longest one render call (a micro-batch of up to batch-size jobs, model load included) may run
   * before its jobs' attempts fail with the retryable code {@code render_timeout}; 0 turns it off.
   * The default 30m leaves two orders of magnitude over a GPU batch (about 10 s for 20 + 10 steps,
   * plus a cold model load of a few minutes), so only a hung or pathological render hits it; CPU
   * workers rendering real 1024 px images take about an hour per image and must raise it or set 0.
   */
  public static final ConfigKey RENDER_TIMEOUT =
      new ConfigKey(
          "farm.worker.render-timeout",
          "30m",
          "Longest one render call (a micro-batch, model load included) may run before its jobs'"
              + " attempts fail with render_timeout (retried); 0: off. 30m is ~100x a GPU batch;"
              + " CPU workers rendering real 1024x1024 images (~1 h each) must raise it");

  /** Compute precision per network: auto, fp32, fp16 or bf16 (docs/performance.md, Precision). */
  public static final ConfigKey PRECISION =
      new ConfigKey(
          "farm.worker.precision",
          "fp32",
          "Compute precision: fp32, fp16, bf16 or auto (auto: on a GPU Stage B, Stage A, CLIP and"
              + " the previewer fp16, Stage C fp16 for lite/tiny and bf16 for big, or fp32 with TF32"
              + " where the GPU has no bf16; on a CPU fp32). LoRA jobs render at the same precision"
              + " as plain jobs; under fp16, jobs on model big render at auto, with a warning");

  /**
   * The aging rule of the low lane: a low job competes with normal jobs as if it had been submitted
   * this much later than it was (see the README's Priorities).
   */
  public static final ConfigKey LOW_AGING =
      new ConfigKey(
          "farm.worker.low-aging",
          "5m",
          "Aging of priority low: a low job is taken before normal jobs submitted more than this"
              + " after it (it competes as if submitted this much later), so it is never starved");

  /**
   * The compute devices of a worker process, one render loop (with its own copy of the models) per
   * entry: {@code auto} (every visible GPU, or the CPU when there is none), {@code cpu}, or a list
   * such as {@code cuda:0,cuda:1}. Checked here for its form; a GPU the engine does not see is
   * refused when the worker starts.
   */
  public static final ConfigKey DEVICES =
      new ConfigKey(
          "farm.worker.devices",
          "auto",
          "Compute devices, one render loop each: auto (every visible GPU, else the CPU), cpu, or a"
              + " list such as cuda:0,cuda:1 (--workers N runs N loops per device)");

  private static final java.util.regex.Pattern DEVICE_LIST =
      java.util.regex.Pattern.compile(
          "auto|(cpu|(cuda|gpu)(:\\d+)?)(\\s*,\\s*(cpu|(cuda|gpu)(:\\d+)?))*");

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
                STORAGE_RETRY,
                RENDER_TIMEOUT,
                PRECISION,
                LOW_AGING,
                DEVICES,
                MODELS_DIR));
    keys.addAll(RegistrySettings.WORKER_KEYS);
    keys.addAll(TrainSettings.KEYS);
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
        c.getDuration(STORAGE_RETRY),
        renderTimeout(c),
        precision(c),
        c.getDuration(LOW_AGING),
        devices(c),
        RegistrySettings.from(c));
  }

  private static Duration renderTimeout(ConfigSource c) {
    if (c.get(RENDER_TIMEOUT).equals("0")) {
      return Duration.ZERO;
    }
    Duration d = c.getDuration(RENDER_TIMEOUT);
    if (d.isNegative()) {
      throw new ConfigException(RENDER_TIMEOUT.name() + " must be 0 (off) or positive, got " + d);
    }
    return d;
  }

  private static String precision(ConfigSource c) {
    String p = c.get(PRECISION).toLowerCase(java.util.Locale.ROOT);
    if (!List.of("fp32", "fp16", "bf16", "auto").contains(p)) {
      throw new ConfigException(
          PRECISION.name() + " must be fp32, fp16, bf16 or auto, got '" + c.get(PRECISION) + "'");
    }
    return p;
  }

  private static String devices(ConfigSource c) {
    String d = c.get(DEVICES).trim().toLowerCase(java.util.Locale.ROOT);
    if (!DEVICE_LIST.matcher(d).matches()) {
      throw new ConfigException(
          DEVICES.name()
              + " must be auto, cpu or a list like cuda:0,cuda:1, got '"
              + c.get(DEVICES)
              + "'");
    }
    return d;
  }

  private static String defaultWorkerId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "worker");
    return host + "-" + ProcessHandle.current().pid();
  }
}
