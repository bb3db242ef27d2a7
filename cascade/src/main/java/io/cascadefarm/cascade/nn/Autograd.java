package io.cascadefarm.cascade.nn;

/**
 * Whether the current thread is recording a computation graph for training (set by the trainer in
 * {@code io.cascadefarm.cascade.train}, around DJL's {@code GradientCollector}). Layers consult it
 * only where a kernel cannot carry gradients: the fused attention of {@link ScriptKernels} runs
 * TorchScript under libtorch's inference mode, so {@link Attention#sdpa} computes the composite
 * (DJL ops, differentiable) while recording. Inference threads never set it and pay one
 * thread-local read per attention call.
 */
public final class Autograd {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private Autograd() {}

  /** True while the calling thread records gradients. */
  public static boolean isRecording() {
    return DEPTH.get()[0] > 0;
  }

  /**
   * {@code a} itself, or while recording a copy that owns its memory ({@code a} is closed). DJL
   * creates arrays from Java data with {@code torch::from_blob} over a buffer the Java array owns;
   * the autograd graph may keep such a tensor (an index, a resampling matrix) after the array is
   * closed, and backward would then read freed memory. Call it where a layer creates a constant
   * from Java data.
   */
  public static ai.djl.ndarray.NDArray own(ai.djl.ndarray.NDArray a) {
    if (!isRecording()) {
      return a;
    }
    ai.djl.ndarray.NDArray copy = a.duplicate();
    a.close();
    return copy;
  }

  /**
   * {@code x * v}. DJL computes {@code x.mul(float)} with a scalar tensor over a Java buffer that
   * it frees right after the call, but autograd keeps that scalar for the backward of {@code mul};
   * while recording, the scalar is a tensor libtorch owns ({@code torch::full}). Elsewhere it is
   * {@code x.mul(v)}.
   */
  public static ai.djl.ndarray.NDArray mul(ai.djl.ndarray.NDArray x, float v) {
    if (!isRecording()) {
      return x.mul(v);
    }
    try (ai.djl.ndarray.NDArray s = scalar(x, v)) {
      return x.mul(s);
    }
  }

  /** {@code x / v}, safe for autograd as {@link #mul}. */
  public static ai.djl.ndarray.NDArray div(ai.djl.ndarray.NDArray x, float v) {
    if (!isRecording()) {
      return x.div(v);
    }
    try (ai.djl.ndarray.NDArray s = scalar(x, v)) {
      return x.div(s);
    }
  }

  private static ai.djl.ndarray.NDArray scalar(ai.djl.ndarray.NDArray like, float v) {
    return like.getManager()
        .full(new ai.djl.ndarray.types.Shape(), v, like.getDataType())
        .toDevice(like.getDevice(), false);
  }

  /** Marks the calling thread as recording until {@link #exit()} (nestable). */
  public static void enter() {
    DEPTH.get()[0]++;
  }

  /** Ends one {@link #enter()}. */
  public static void exit() {
    int[] d = DEPTH.get();
    if (d[0] > 0) {
      d[0]--;
    }
  }
}
