package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Splits a batched CFG model output into its conditional and unconditional halves and applies
 * guidance with rescale (spec 5.6) separately per guidance group (consecutive rows of one request),
 * so a request's result does not depend on what it was batched with. With one group this is exactly
 * gdf's whole-batch rescale. TEMPORARY formula until C0's {@code Guidance} class lands; then the
 * per-group call delegates to it.
 */
final class CfgCombine {
  private CfgCombine() {}

  static NDArray apply(NDArray modelOut, double cfg, double rho, int[] groups) {
    NDList halves = modelOut.split(2, 0);
    if (groups.length == 1) {
      return guide(halves.get(0), halves.get(1), cfg, rho);
    }
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
      guided.add(guide(cond.get(g), uncond.get(g), cfg, rho));
    }
    return NDArrays.concat(guided);
  }

  static NDArray guide(NDArray cond, NDArray uncond, double cfg, double rho) {
    NDArray guided =
        cfg < 0.5
            ? uncond.add(cond.sub(uncond).mul((float) cfg))
            : cond.sub(cond.sub(uncond).mul((float) (1.0 - cfg)));
    if (rho <= 0) {
      return guided;
    }
    float stdCond = (float) std(cond.toFloatArray());
    float stdGuided = (float) std(guided.toFloatArray());
    NDArray rescaled = guided.mul(stdCond).div(stdGuided + 1e-9f).mul((float) rho);
    return rescaled.add(guided.mul((float) (1.0 - rho)));
  }

  private static double std(float[] v) {
    double mean = 0;
    for (float f : v) {
      mean += f;
    }
    mean /= v.length;
    double ss = 0;
    for (float f : v) {
      double d = f - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
