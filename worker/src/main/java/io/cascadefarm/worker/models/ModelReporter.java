package io.cascadefarm.worker.models;

import io.cascadefarm.cascade.model.ModelLayout;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.port.WorkerModels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts one row per model variant for this worker process into {@link WorkerModels}: at start,
 * when a variant finished loading, and every {@link #PERIOD} (so {@code GET /v1/models}, which
 * shows rows of the last 5 minutes, drops processes that are gone). Weights are present when every
 * file of the variant's Hugging Face layout is under {@code farm.models.dir} ({@code tiny}'s are
 * generated, so always). The device is the renderer's (null for renderers without one).
 */
public final class ModelReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelReporter.class);

  /** How often the rows are refreshed. */
  public static final Duration PERIOD = Duration.ofMinutes(1);

  private final WorkerModels table;
  private final String worker;
  private final Path modelsDir;
  private final String precision;
  private final Clock clock;
  private final java.util.function.Supplier<String> device;
  private final Map<String, Long> loaded = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "farm-model-report");
            t.setDaemon(true);
            return t;
          });

  /** {@code device} names the compute device (null when unknown); read on each report. */
  public ModelReporter(
      WorkerModels table,
      String worker,
      Path modelsDir,
      String precision,
      java.util.function.Supplier<String> device,
      Clock clock) {
    this.table = table;
    this.device = device;
    this.worker = worker;
    this.modelsDir = modelsDir;
    this.precision = precision;
    this.clock = clock;
  }

  public ModelReporter start() {
    timer.scheduleWithFixedDelay(this::reportSafely, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** A variant finished loading (a renderer's load listener). */
  public void loaded(String model, Duration took) {
    loaded.put(model, took.toMillis());
    timer.execute(this::reportSafely);
  }

  /** The rows as of now. */
  public List<WorkerModels.Report> rows() {
    ModelLayout layout = new ModelLayout(modelsDir);
    String dev = device.get();
    List<WorkerModels.Report> out = new ArrayList<>();
    for (String m : JobContract.MODELS) {
      boolean weights = m.equals("tiny") || layout.missingFor(m.equals("lite")).isEmpty();
      out.add(
          new WorkerModels.Report(
              worker,
              m,
              loaded.containsKey(m),
              weights,
              precision,
              dev,
              loaded.get(m),
              clock.instant()));
    }
    return out;
  }

  private void reportSafely() {
    try {
      table.report(rows());
    } catch (RuntimeException e) {
      LOG.warn("could not report models (retrying in {}): {}", PERIOD, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
