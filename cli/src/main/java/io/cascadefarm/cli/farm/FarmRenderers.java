package io.cascadefarm.cli.farm;

import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.port.Renderer;

/**
 * The renderer the {@code farm} processes give their workers. <b>For now this is {@link
 * StandInRenderer} (seeded noise):</b> the worker module has no renderer backed by the {@code
 * cascade} pipelines yet. Once it has one, this is the single place to switch.
 */
public final class FarmRenderers {
  private FarmRenderers() {}

  /** The renderer for workers configured by {@code config}. */
  public static Renderer create(WorkerConfig config) {
    return new StandInRenderer();
  }

  /** One line saying which renderer {@link #create} gives. */
  public static String describe() {
    return isStandIn() ? StandInRenderer.DESCRIPTION : "cascade pipeline renderer";
  }

  /** True while {@link #create} returns the stand-in instead of the cascade pipeline. */
  public static boolean isStandIn() {
    return true;
  }
}
