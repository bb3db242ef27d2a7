package io.cascadefarm.cli.farm;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.WorkerProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farm worker}: render workers in this process until SIGTERM, then a graceful drain. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs render workers that join the farm's consumer group.",
      "SIGTERM/Ctrl-C drains (in-flight jobs finish within farm.worker.drain-timeout), exit 0.",
      "Settings: environment, then --config FILE, then flags (later wins)."
    })
public final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file, e.g. farm-data/farm.properties")
  Path config;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Workers in this process (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--set", description = "Any documented farm.* setting, e.g. --set k=v")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be >= 1 but was " + workers);
    }
    WorkerConfig c = WorkerConfig.from(ConfigSource.load(config, settings));
    Renderer renderer = FarmRenderers.create(c);
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch stop = Signals.termination(stopped);
    WorkerProcess process =
        WorkerProcess.start(
            c,
            renderer,
            workers,
            null,
            io.cascadefarm.common.config.TrainSettings.from(ConfigSource.load(config, settings)));
    try {
      System.out.println(
          "worker "
              + c.workerId()
              + ": "
              + workers
              + " worker(s) consuming "
              + c.kafka().topics().jobs()
              + " with the "
              + FarmRenderers.describe()
              + " (SIGTERM drains)");
      stop.await();
    } finally {
      System.out.println("worker " + c.workerId() + ": draining");
      long t0 = System.nanoTime();
      process.close();
      FarmRenderers.close(renderer);
      System.out.printf(
          Locale.ROOT,
          "worker %s: drained in %.1f s%n",
          c.workerId(),
          (System.nanoTime() - t0) / 1e9);
      stopped.countDown();
    }
    return 0;
  }
}
