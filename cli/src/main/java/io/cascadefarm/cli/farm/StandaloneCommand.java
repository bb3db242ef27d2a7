package io.cascadefarm.cli.farm;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm standalone}: the whole farm in this process until Ctrl-C or SIGTERM. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description = {
      "Starts embedded Kafka, PostgreSQL and S3, the API and in-process workers in this process.",
      "Data stays under --data-dir; a restart on the same directory keeps every job.",
      "Ctrl-C or SIGTERM drains the workers and stops everything (exit code 0)."
    })
public final class StandaloneCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = "farm-data",
      description = "Data directory (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "In-process workers, 0 allowed (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP API port")
  int port;

  @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka broker port")
  int kafkaPort;

  @Option(names = "--postgres-port", defaultValue = "15432", description = "PostgreSQL port")
  int postgresPort;

  @Option(names = "--s3-port", defaultValue = "19000", description = "S3 API port")
  int s3Port;

  @Option(
      names = "--model",
      defaultValue = "tiny",
      description = "Model this farm is meant for (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--set",
      description = "Any documented farm.* setting, e.g. --set farm.worker.batch-size=8")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--auth",
      description = "Require API keys (farm keys create); off by default in standalone mode")
  boolean auth;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    if (auth) {
      settings.put(io.cascadefarm.common.config.TenantSettings.AUTH_ENABLED.name(), "true");
    }
    StandaloneOptions options =
        new StandaloneOptions(
            dataDir, port, kafkaPort, postgresPort, s3Port, workers, model, null, settings);
    long t0 = System.nanoTime();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch stop = Signals.termination(stopped);
    StandaloneFarm farm = StandaloneFarm.start(options, out);
    Banner.print(out, farm, Duration.ofNanos(System.nanoTime() - t0));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("stopping: draining workers, closing the API, stopping services ...");
    Duration took = farm.stop();
    out.printf(Locale.ROOT, "stopped cleanly in %.1f s%n", took.toMillis() / 1000.0);
    stopped.countDown();
    return 0;
  }
}
