package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.ConvTranspose2d} (square kernel, groups 1): {@code weight} (in, out, k, k), bias. */
public class ConvTranspose2d extends Module implements Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final int stride;
  private final int padding;
  private final int outputPadding;

  public ConvTranspose2d(long in, long out, int kernel, int stride) {
    this(in, out, kernel, stride, 0, 0, true);
  }

  public ConvTranspose2d(
      long in, long out, int kernel, int stride, int padding, int outputPadding, boolean withBias) {
    weight = param("weight", in, out, kernel, kernel);
    bias = withBias ? param("bias", out) : null;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
  }

  @Override
  public NDArray forward(NDArray x) {
    return ConvTranspose.convTranspose2d(
        x, weight.array(), bias == null ? null : bias.array(), stride, padding, outputPadding);
  }
}
