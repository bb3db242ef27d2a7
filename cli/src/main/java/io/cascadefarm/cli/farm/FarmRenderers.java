package io.cascadefarm.cli.farm;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The renderer the {@code farm} processes give their workers: the Stable Cascade pipeline ({@link
 * CascadeRenderer}) over one model registry per process, reading {@code lite}/{@code big} weights
 * under {@code farm.models.dir} and generating the {@code tiny} weights on first use under {@code
 * <models dir>/.tiny-cache}.
 */
public final class FarmRenderers {
  private FarmRenderers() {}

  /**
   * A renderer for the workers of one process, computing at {@code farm.worker.precision}; close it
   * after the workers stopped.
   */
  public static CascadeRenderer create(WorkerConfig config) {
    return CascadeRenderer.open(config);
  }

  /** One line saying which renderer {@link #create} gives. */
  public static String describe() {
    return "Stable Cascade pipeline renderer (DJL, CPU)";
  }

  /**
   * Renders one small job of {@code model} so that the model is loaded (for {@code tiny}: its
   * weights generated) before the first real job arrives.
   */
  public static void warmUp(Renderer renderer, String model) {
    JobParams p = JobParams.textToImage("warm-up");
    JobParams small =
        JobParams.builder()
            .kind(p.kind())
            .prompt(p.prompt())
            .size(64, 64)
            .seed(1L)
            .images(1)
            .model(model)
            .prior(new StageParams(1, null, null))
            .decoder(new StageParams(1, null, null))
            .build();
    RenderTask task =
        new RenderTask(UUID.randomUUID(), 1, JobDefaults.resolve(small, () -> 1L), Map.of());
    renderer.render(List.of(task), new RenderListener() {});
  }

  /** Closes the renderer if it holds resources (models). */
  static void close(Renderer renderer) {
    if (renderer instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the renderer failed: " + e.getMessage(), e);
      }
    }
  }
}
