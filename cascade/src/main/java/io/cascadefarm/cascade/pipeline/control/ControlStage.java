package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import java.util.List;

/**
 * Builds a batch's {@link PriorControl}: the control input of every row ({@link ControlInputs}),
 * one ControlNet forward at the request's {@code controlStrength}. All rows of a batch share
 * control type and strength (they are in the batch key).
 */
public final class ControlStage {
  private ControlStage() {}

  /**
   * @param rows the request of every batch row (a request with N images appears N times)
   * @param rowSeeds the seed of every row (noise of the inpaint/outpaint start latent)
   * @param manager owns the returned tensors
   */
  public static PriorControl prepare(
      CascadeModels models, List<GenerationRequest> rows, long[] rowSeeds, NDManager manager) {
    GenerationRequest first = rows.get(0);
    ControlType type = ControlType.parse(first.controlType());
    ControlNet net = models.controlNets().get(type.variant());
    ControlInputs.Built built =
        ControlInputs.build(
            type, models, ControlResources.of(models), net, rows, rowSeeds, manager);
    List<NDArray> projections = net.forward(built.input(), (float) first.controlStrength());
    built.input().close();
    return new PriorControl(projections, built.xInit());
  }
}
