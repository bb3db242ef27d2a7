package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Splits a batched CFG model output ({@code [cond; uncond]}) and applies {@link Guidance}
 * separately per guidance group (the consecutive rows of one request), so the std-rescale of a
 * request does not depend on what it was batched with. With one group this is exactly gdf's
 * whole-batch guidance.
 */
final class GroupedGuidance {
  private GroupedGuidance() {}

  static NDArray apply(NDArray modelOut, double cfg, double rho, int[] groups) {
    if (groups.length == 1) {
      return Guidance.applyBatched(modelOut, cfg, rho);
    }
    NDList halves = modelOut.split(2, 0);
    long[] cuts = new long[groups.length - 1];
    long row = 0;
    for (int g = 0; g < cuts.length; g++) {
      row += groups[g];
      cuts[g] = row;
    }
    NDList cond = halves.get(0).split(cuts, 0);
    NDList uncond = halves.get(1).split(cuts, 0);
    NDList guided = new NDList();
    for (int g = 0; g < groups.length; g++) {
      guided.add(Guidance.apply(cond.get(g), uncond.get(g), cfg, rho));
    }
    return NDArrays.concat(guided);
  }
}
