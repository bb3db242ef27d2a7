package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.Resample;

/** {@code F.interpolate} to (outH, outW): bilinear (either corner rule) or nearest. */
public record InterpolateProbe(
    int batch,
    int channels,
    int height,
    int width,
    int outH,
    int outW,
    Resample.Mode mode,
    boolean alignCorners,
    long seed)
    implements OpProbe {

  public InterpolateProbe {
    if (mode != Resample.Mode.BILINEAR && mode != Resample.Mode.NEAREST) {
      throw new IllegalArgumentException("probed modes: bilinear, nearest");
    }
  }

  @Override
  public OpFamily family() {
    return OpFamily.INTERPOLATE;
  }

  @Override
  public String describe() {
    return String.format(
        "%s%s %dx%dx%dx%d->%dx%d",
        mode.name().toLowerCase(java.util.Locale.ROOT),
        mode == Resample.Mode.BILINEAR ? (alignCorners ? " ac" : "") : "",
        batch,
        channels,
        height,
        width,
        outH,
        outW);
  }

  private float[] input() {
    return new ProbeData(seed).normal(batch * channels * height * width, 1);
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    return kernels
        .interpolate(
            OpProbe.tensor(m, input(), batch, channels, height, width),
            outH,
            outW,
            mode,
            alignCorners)
        .toFloatArray();
  }

  @Override
  public double[] reference() {
    float[] x = input();
    int nc = batch * channels;
    return mode == Resample.Mode.BILINEAR
        ? ReferenceOps.bilinear(x, nc, height, width, outH, outW, alignCorners)
        : ReferenceOps.nearest(x, nc, height, width, outH, outW);
  }
}
