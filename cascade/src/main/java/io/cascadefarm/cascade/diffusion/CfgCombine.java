package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Splits a batched CFG model output into its conditional and unconditional halves and applies
 * guidance with rescale (spec 5.6). TEMPORARY until C0's {@code Guidance} class lands; then this
 * delegates to it.
 */
final class CfgCombine {
  private CfgCombine() {}

  static NDArray apply(NDArray modelOut, double cfg, double rho) {
    NDList halves = modelOut.split(2, 0);
    NDArray cond = halves.get(0);
    NDArray uncond = halves.get(1);
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
