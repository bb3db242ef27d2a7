package io.cascadefarm.cli.bench;

import io.cascadefarm.cascade.tools.bench.ComputeThread;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.Renderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline of the farm benchmark: the same jobs rendered by calling the renderer directly, in
 * groups of the workers' batch size, with no farm around it.
 */
final class RenderBaseline {
  private RenderBaseline() {}

  /** The jobs the benchmark submits, resolved like the API resolves them. */
  static List<JobParams> jobs(int n, String model, int width, int height) {
    AtomicLong seeds = new AtomicLong(1);
    List<JobParams> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JobParams p = JobParams.textToImage("bench cat " + i);
      out.add(
          JobDefaults.resolve(
              JobParams.builder()
                  .kind(p.kind())
                  .prompt(p.prompt())
                  .size(width, height)
                  .model(model)
                  .build(),
              seeds::getAndIncrement));
    }
    return out;
  }

  /**
   * Renders {@code jobs} in groups of {@code batchSize} on a fresh thread, as a worker's render
   * thread does (measured: renders on the JVM's main thread ran 15-30x slower with DJL's PyTorch
   * engine; see {@link ComputeThread}); returns the wall time in nanoseconds.
   */
  static long render(Renderer renderer, List<JobParams> jobs, int batchSize) throws Exception {
    return ComputeThread.call("bench-render", () -> renderHere(renderer, jobs, batchSize));
  }

  private static long renderHere(Renderer renderer, List<JobParams> jobs, int batchSize) {
    long t0 = System.nanoTime();
    for (int i = 0; i < jobs.size(); i += batchSize) {
      List<RenderTask> group = new ArrayList<>();
      for (JobParams p : jobs.subList(i, Math.min(jobs.size(), i + batchSize))) {
        group.add(new RenderTask(UUID.randomUUID(), 1, p, Map.of()));
      }
      renderer.render(group, new RenderListener() {});
    }
    return System.nanoTime() - t0;
  }
}
