package io.cascadefarm.worker;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a worker process in the foreground until SIGTERM or SIGINT, then drains (finishes or
 * releases in-flight jobs within {@code farm.worker.drain-timeout}, commits) and returns exit code
 * 0. Arguments: {@code [--config <file>] [--workers N] [--<key>=<value> ...]} where keys are the
 * documented {@code farm.*} settings; the environment, then the file, then the flags apply.
 */
public final class WorkerMain {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  /** {@code farm worker}: renders with {@link CascadeRenderer#open(WorkerConfig)}. */
  public static void main(String[] args) {
    System.exit(run(args, CascadeRenderer::open));
  }

  /**
   * Parses {@code args}, starts {@code --workers} worker(s) per device of {@code
   * farm.worker.devices}, each device with the renderer {@code renderers} builds from the config
   * narrowed to it, blocks until SIGTERM/SIGINT, drains and returns the exit code (0; 2 for bad
   * args).
   */
  public static int run(String[] args, Function<WorkerConfig, Renderer> renderers) {
    Path file = null;
    int count = 1;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (a.startsWith("--config=")) {
        file = Path.of(a.substring("--config=".length()));
      } else if (a.equals("--workers") && i + 1 < args.length) {
        count = parseCount(args[++i]);
      } else if (a.startsWith("--") && a.contains("=")) {
        flags.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else {
        LOG.error("unknown argument '{}' (use --config <file>, --workers N, --farm.key=value)", a);
        return 2;
      }
    }
    if (count < 0) {
      LOG.error("--workers must be a number >= 0");
      return 2;
    }
    WorkerConfig config = WorkerConfig.from(ConfigSource.load(file, flags));
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch drained = new CountDownLatch(1);
    long maxDrain = config.drainTimeout().plusSeconds(60).toMillis();
    TerminationSignals.onTerminate(stop::countDown, drained, maxDrain);
    try (WorkerProcess process =
        WorkerProcess.start(
            config,
            renderers,
            count,
            null,
            io.cascadefarm.common.config.TrainSettings.from(ConfigSource.load(file, flags)))) {
      LOG.info(
          "{} worker(s) running as {} on {}; SIGTERM drains",
          process.workers().size(),
          config.workerId(),
          config.devices());
      stop.await();
      LOG.info("termination requested: draining");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      drained.countDown();
    }
    return 0;
  }

  private static int parseCount(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
