package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * Stateless functional ops with PyTorch semantics (NCHW). Results are attached to the manager of
 * the first (activation) argument, never to the weights' manager.
 */
public final class Ops {
  static {
    OneDnnIsa.configure(); // before the first convolution of the process (see OneDnnIsa)
  }

  private Ops() {}

  /** {@code F.conv2d} with square stride/padding and groups; {@code bias} may be null. */
  public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad, int groups) {
    return conv2d(x, w, b, new int[] {stride, stride}, new int[] {pad, pad}, groups);
  }

  /** {@code F.conv2d} with per-axis stride and padding (dilation 1). */
  public static NDArray conv2d(
      NDArray x, NDArray w, NDArray b, int[] stride, int[] pad, int groups) {
    return Conv2d.conv2d(
            x,
            w,
            b,
            new Shape(stride[0], stride[1]),
            new Shape(pad[0], pad[1]),
            new Shape(1, 1),
            groups)
        .singletonOrThrow();
  }

  /** {@code F.linear} over the last axis; {@code bias} may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return b == null
        ? Linear.linear(x, w).singletonOrThrow()
        : Linear.linear(x, w, b).singletonOrThrow();
  }

  /**
   * {@code fresh + other}, written into {@code fresh} when no gradient is recorded: {@code fresh}
   * must be the result of a DJL op (not of a {@link ScriptKernels} method: those return inference
   * tensors, which refuse in-place updates) of the output shape that nothing else reads afterwards,
   * so the sum costs no full-size allocation. While recording, an ordinary add, so autograd sees no
   * in-place update.
   */
  public static NDArray addInPlace(NDArray fresh, NDArray other) {
    return Autograd.isRecording() ? fresh.add(other) : fresh.addi(other);
  }

  /** Exact (erf) GELU, as {@code nn.GELU()}. */
  public static NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  /** SiLU / swish: {@code x * sigmoid(x)}. */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** LeakyReLU with the given negative slope. */
  public static NDArray leakyRelu(NDArray x, float slope) {
    return Activation.leakyRelu(x, slope);
  }

  public static NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  public static NDArray sigmoid(NDArray x) {
    return Activation.sigmoid(x);
  }

  public static NDArray tanh(NDArray x) {
    return Activation.tanh(x);
  }
}
