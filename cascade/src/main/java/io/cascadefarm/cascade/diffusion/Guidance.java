package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Official classifier-free guidance of {@code gdf.GDF.sample}: {@code pred_cfg = lerp(uncond, cond,
 * cfg)} (torch's two-branch lerp formula), then, for {@code rho > 0}, {@code rho * (pred_cfg *
 * std(cond) / (std(pred_cfg) + 1e-9)) + pred_cfg * (1 - rho)} with the unbiased std over ALL
 * elements of the tensors passed in. Results live in {@code cond}'s manager.
 */
public final class Guidance {
  private Guidance() {}

  /** {@code torch.lerp(start, end, weight)}. */
  public static NDArray lerp(NDArray start, NDArray end, float weight) {
    NDArray diff = end.sub(start);
    return weight < 0.5f ? start.add(diff.mul(weight)) : end.sub(diff.mul(1f - weight));
  }

  /**
   * The std-rescale step applied to an already guided prediction, on the tensors' device: the two
   * standard deviations stay 0-dimensional tensors, so no step waits for a copy to the host.
   */
  public static NDArray rescale(NDArray cond, NDArray guided, float rho) {
    NDArray stdCond = stdTensor(cond);
    NDArray stdGuided = stdTensor(guided);
    NDArray scaled = guided.mul(stdCond).div(stdGuided.add(1e-9f)).mul(rho);
    return scaled.add(guided.mul((float) (1.0 - rho)));
  }

  /**
   * Unbiased standard deviation over all elements as a 0-dimensional float32 tensor of {@code x}'s
   * dtype family: accumulated in float64 (as torch's CPU {@code std} accumulates float in double),
   * then rounded; equal to {@link #std(NDArray)} up to the summation order's last double bits.
   */
  public static NDArray stdTensor(NDArray x) {
    NDArray d = x.toType(DataType.FLOAT64, false);
    NDArray centered = d.sub(d.mean());
    NDArray var = centered.square().sum().div(Math.max(1, x.size() - 1));
    return var.sqrt().toType(DataType.FLOAT32, false).toType(x.getDataType(), false);
  }

  /** lerp + rescale ({@code rho <= 0}: plain lerp). */
  public static NDArray apply(NDArray cond, NDArray uncond, double cfg, double rho) {
    NDArray guided = lerp(uncond, cond, (float) cfg);
    return rho > 0 ? rescale(cond, guided, (float) rho) : guided;
  }

  /** Splits a batched [cond; uncond] model output ({@code chunk(2)}) and applies guidance. */
  public static NDArray applyBatched(NDArray modelOut, double cfg, double rho) {
    NDList halves = modelOut.split(2, 0);
    return apply(halves.get(0), halves.get(1), cfg, rho);
  }

  /**
   * Unbiased standard deviation over all elements, accumulated in double on the host, rounded to
   * float (the reference for {@link #stdTensor}).
   */
  public static float std(NDArray x) {
    float[] v = x.toType(DataType.FLOAT32, false).toFloatArray();
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
    return (float) Math.sqrt(ss / (v.length - 1));
  }
}
