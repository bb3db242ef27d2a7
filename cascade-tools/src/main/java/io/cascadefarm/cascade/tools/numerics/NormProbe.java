package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A normalisation on (batch, channels, spatial): LayerNorm over the last axis of (batch*channels,
 * spatial) rows, GroupNorm with {@code groups}, or eval BatchNorm with random running statistics.
 */
public record NormProbe(
    OpFamily family, int batch, int channels, int spatial, int groups, long seed)
    implements OpProbe {
  static final float EPS = 1e-5f;

  public NormProbe {
    if (family != OpFamily.LAYER_NORM
        && family != OpFamily.GROUP_NORM
        && family != OpFamily.BATCH_NORM) {
      throw new IllegalArgumentException("not a norm: " + family);
    }
    if (channels % groups != 0) {
      throw new IllegalArgumentException("channels must divide by groups");
    }
  }

  public static NormProbe layer(int rows, int channels, long seed) {
    return new NormProbe(OpFamily.LAYER_NORM, 1, rows, channels, 1, seed);
  }

  public static NormProbe group(int batch, int channels, int spatial, int groups, long seed) {
    return new NormProbe(OpFamily.GROUP_NORM, batch, channels, spatial, groups, seed);
  }

  public static NormProbe batchNorm(int batch, int channels, int spatial, long seed) {
    return new NormProbe(OpFamily.BATCH_NORM, batch, channels, spatial, 1, seed);
  }

  @Override
  public String describe() {
    return switch (family) {
      case LAYER_NORM -> String.format("%dx%d", channels, spatial);
      case GROUP_NORM -> String.format("%dx%dx%d g%d", batch, channels, spatial, groups);
      default -> String.format("%dx%dx%d", batch, channels, spatial);
    };
  }

  /** Affine parameters have the size of the normalised axis: spatial for LayerNorm. */
  private int affineSize() {
    return family == OpFamily.LAYER_NORM ? spatial : channels;
  }

  private float[][] inputs() {
    ProbeData d = new ProbeData(seed);
    int n = affineSize();
    float[] x = d.normal(batch * channels * spatial, 1);
    for (int i = 0; i < x.length; i++) {
      x[i] += 0.5f; // a non-zero mean, as activations have
    }
    float[] gamma = d.normal(n, 0.2);
    for (int i = 0; i < n; i++) {
      gamma[i] += 1;
    }
    return new float[][] {x, gamma, d.normal(n, 0.1), d.normal(n, 0.2), d.uniform(n, 0.5, 1.5)};
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    float[][] v = inputs();
    int n = affineSize();
    NDArray g = OpProbe.tensor(m, v[1], n);
    NDArray b = OpProbe.tensor(m, v[2], n);
    NDArray out =
        switch (family) {
          case LAYER_NORM ->
              kernels.layerNorm(OpProbe.tensor(m, v[0], batch * channels, spatial), g, b, EPS);
          case GROUP_NORM ->
              kernels.groupNorm(
                  OpProbe.tensor(m, v[0], batch, channels, spatial, 1), groups, g, b, EPS);
          default ->
              kernels.batchNorm(
                  OpProbe.tensor(m, v[0], batch, channels, spatial, 1),
                  OpProbe.tensor(m, v[3], n),
                  OpProbe.tensor(m, v[4], n),
                  g,
                  b,
                  EPS);
        };
    return out.toFloatArray();
  }

  @Override
  public double[] reference() {
    float[][] v = inputs();
    return switch (family) {
      case LAYER_NORM -> ReferenceOps.layerNorm(v[0], batch * channels, spatial, v[1], v[2], EPS);
      case GROUP_NORM ->
          ReferenceOps.groupNorm(v[0], batch, channels, spatial, groups, v[1], v[2], EPS);
      default ->
          ReferenceOps.batchNorm(v[0], batch, channels, spatial, v[3], v[4], v[1], v[2], EPS);
    };
  }
}
