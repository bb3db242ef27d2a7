package io.cascadefarm.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.json.Json;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farm bench farm}: the farm's own overhead per job. Starts a standalone farm on free ports,
 * renders up to three groups of the jobs directly through the workers' renderer (the baseline per
 * job, after a warm-up), sends a warm-up batch through the farm, then submits the jobs as one batch
 * over HTTP and waits until all succeeded. Overhead per job = (wall time x workers - render time
 * reported by the workers) / jobs.
 */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the farm's own overhead per job (end-to-end time minus render time).",
      "Runs a throw-away standalone farm on free ports; prints a table."
    })
public final class FarmBenchCommand implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "50", description = "Jobs (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--workers", defaultValue = "1", description = "In-process workers")
  int workers;

  @Option(names = "--size", defaultValue = "64", description = "Width and height in pixels")
  int size;

  @Option(names = "--model", defaultValue = "tiny", description = "Model (default: tiny)")
  String model;

  @Option(names = "--batch-size", defaultValue = "4", description = "farm.worker.batch-size")
  int batchSize;

  @Option(names = "--data-dir", description = "Data directory (default: a temporary one)")
  Path dataDir;

  @Option(
      names = "--scale",
      split = ",",
      description =
          "Job counts sent one after another through the same farm (e.g. 50,500,2000): one row"
              + " each, overhead per job as a ratio to the first row, worker SQL statements per"
              + " job; replaces --jobs")
  List<Integer> scale;

  @Option(names = "--set", description = "Any documented farm.* setting, e.g. --set k=v")
  Map<String, String> extra = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("farm-bench");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(WorkerConfig.BATCH_SIZE.name(), String.valueOf(batchSize));
    settings.putAll(extra);
    StandaloneOptions o = new StandaloneOptions(dir, 0, 0, 0, 0, workers, model, null, settings);
    try (StandaloneFarm farm = StandaloneFarm.start(o, out)) {
      List<JobParams> params = RenderBaseline.jobs(jobs, model, size, size);
      out.println("warm-up render (loads the model) ...");
      RenderBaseline.render(farm.renderer(), params.subList(0, 1), 1);
      List<JobParams> sample = params.subList(0, Math.min(jobs, 3 * batchSize));
      out.println("baseline: " + sample.size() + " of the jobs rendered directly ...");
      long baseline = RenderBaseline.render(farm.renderer(), sample, batchSize);
      ApiClient api = new ApiClient(farm.apiUrl());
      out.println("warm-up batch through the farm (JIT, connections) ...");
      awaitDone(api, api.postJson("/v1/batches", body(Math.min(jobs, 8))).path("id").asText());
      if (scale != null && !scale.isEmpty()) {
        return scaled(farm, api, out);
      }
      long renderBefore = renderNanos(farm);
      out.println("farm: " + jobs + " jobs through POST /v1/batches ...");
      long t0 = System.nanoTime();
      String batch = api.postJson("/v1/batches", body(jobs)).path("id").asText();
      long submitted = System.nanoTime() - t0;
      JsonNode done = awaitDone(api, batch);
      long wall = System.nanoTime() - t0;
      long render = renderNanos(farm) - renderBefore;
      int ok = done.path("counts").path("succeeded").asInt();
      BenchTable table = new BenchTable(jobs, workers, batchSize, model, size);
      table.print(out, ok, submitted, wall, render, baseline / sample.size(), renderCalls(farm));
      table.printSpans(out, JobSpans.of(api, batch));
      return ok == jobs ? 0 : 1;
    } finally {
      if (dataDir == null) {
        deleteQuietly(dir);
      }
    }
  }

  /** One batch per entry of {@code --scale}, in order, each row against the first. */
  private int scaled(StandaloneFarm farm, ApiClient api, PrintStream out) throws Exception {
    ScaleTable table = new ScaleTable(workers);
    boolean allSucceeded = true;
    for (int n : scale) {
      out.println("farm: " + n + " jobs through POST /v1/batches ...");
      long renderBefore = renderNanos(farm);
      var statementsBefore = farm.workerStatementCounts();
      long t0 = System.nanoTime();
      JsonNode done = awaitDone(api, api.postJson("/v1/batches", body(n)).path("id").asText());
      long wall = System.nanoTime() - t0;
      allSucceeded &= done.path("counts").path("succeeded").asInt() == n;
      table.add(
          new ScaleTable.Row(
              n,
              wall,
              renderNanos(farm) - renderBefore,
              farm.workerStatementCounts().minus(statementsBefore)));
    }
    out.printf(
        "%nfarm bench --scale: %s jobs of %s %dx%d, %d worker(s), batch size %d%n",
        scale, model, size, size, workers, batchSize);
    table.print(out);
    return allSucceeded ? 0 : 1;
  }

  private ObjectNode body(int n) {
    ObjectNode b = Json.mapper().createObjectNode();
    b.putObject("defaults").put("model", model).put("width", size).put("height", size);
    for (int i = 0; i < n; i++) {
      b.withArray("jobs").addObject().put("prompt", "bench cat " + i);
    }
    return b;
  }

  private static JsonNode awaitDone(ApiClient api, String batch) throws InterruptedException {
    JsonNode b = api.get("/v1/batches/" + batch);
    while (!b.path("done").asBoolean()) {
      Thread.sleep(20);
      b = api.get("/v1/batches/" + batch);
    }
    return b;
  }

  private static long renderNanos(StandaloneFarm farm) {
    return (long)
        farm.workerMetrics().find("farm.worker.render").timers().stream()
            .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS))
            .sum();
  }

  private static long renderCalls(StandaloneFarm farm) {
    return farm.workerMetrics().find("farm.worker.render").timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp dir left behind is harmless
    }
  }
}
