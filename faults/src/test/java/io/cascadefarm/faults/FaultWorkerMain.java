package io.cascadefarm.faults;

import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.worker.WorkerMain;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import io.cascadefarm.worker.fault.PoisonRenderer;
import java.nio.file.Path;

/**
 * A worker OS process for the suite: {@link WorkerMain} (same flags, SIGTERM drain, exit 0) with
 * the renderer named by {@code -Dfarm.faults.renderer}: {@code tiny} is the real {@link
 * CascadeRenderer} whose tiny weights come from {@code -Dfarm.faults.tiny-cache}; {@code stand-in}
 * draws PNGs ({@link StandInRenderer}). Either is wrapped in the {@link PoisonRenderer} fault
 * hooks; {@code -Dfarm.faults.broken-device=true} makes it a worker whose device is broken ({@link
 * BrokenDeviceRenderer}).
 */
public final class FaultWorkerMain {
  private FaultWorkerMain() {}

  public static void main(String[] args) {
    String kind = System.getProperty("farm.faults.renderer", "tiny");
    boolean broken = Boolean.getBoolean("farm.faults.broken-device");
    System.exit(
        WorkerMain.run(
            args,
            config -> {
              Renderer r = new PoisonRenderer(renderer(kind, config));
              return broken ? new BrokenDeviceRenderer(r) : r;
            }));
  }

  static Renderer renderer(String kind, WorkerConfig config) {
    return switch (kind) {
      case "tiny" ->
          new CascadeRenderer(
              new CascadePipeline(
                  ModelRegistry.open(
                      Path.of(config.modelsDir()),
                      Path.of(System.getProperty("farm.faults.tiny-cache", "tiny-cache"))),
                  true));
      case "stand-in" -> new StandInRenderer(Long.getLong("farm.faults.step-millis", 200));
      default ->
          throw new IllegalArgumentException(
              "farm.faults.renderer must be tiny or stand-in, was '" + kind + "'");
    };
  }
}
