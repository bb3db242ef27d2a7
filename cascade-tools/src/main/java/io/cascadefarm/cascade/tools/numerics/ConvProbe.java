package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDManager;

/** {@code F.conv2d} with a square kernel, stride, padding and groups, with bias. */
public record ConvProbe(
    int batch,
    int in,
    int height,
    int width,
    int out,
    int kernel,
    int stride,
    int pad,
    int groups,
    long seed)
    implements OpProbe {

  public ConvProbe {
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException("channels must divide by groups");
    }
    if (height + 2 * pad < kernel || width + 2 * pad < kernel) {
      throw new IllegalArgumentException("kernel larger than the padded input");
    }
  }

  /** A depthwise convolution (groups = channels) with padding k/2. */
  public static ConvProbe depthwise(int batch, int channels, int h, int w, int k, long seed) {
    return new ConvProbe(batch, channels, h, w, channels, k, 1, k / 2, channels, seed);
  }

  @Override
  public OpFamily family() {
    return groups > 1 && groups == in && groups == out ? OpFamily.DEPTHWISE_CONV : OpFamily.CONV2D;
  }

  @Override
  public String describe() {
    return String.format(
        "%dx%dx%dx%d->%d k%d s%d p%d g%d",
        batch, in, height, width, out, kernel, stride, pad, groups);
  }

  private float[][] inputs() {
    ProbeData d = new ProbeData(seed);
    int fanIn = in / groups * kernel * kernel;
    return new float[][] {
      d.normal(batch * in * height * width, 1),
      d.normal(out * (in / groups) * kernel * kernel, 1 / Math.sqrt(fanIn)),
      d.normal(out, 0.1)
    };
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    float[][] v = inputs();
    return kernels
        .conv2d(
            OpProbe.tensor(m, v[0], batch, in, height, width),
            OpProbe.tensor(m, v[1], out, in / groups, kernel, kernel),
            OpProbe.tensor(m, v[2], out),
            stride,
            pad,
            groups)
        .toFloatArray();
  }

  @Override
  public double[] reference() {
    float[][] v = inputs();
    return ReferenceOps.conv2d(
        v[0], batch, in, height, width, v[1], out, kernel, v[2], stride, pad, groups);
  }
}
