package io.cascadefarm.cascade.nn;

/**
 * Reduced-precision compute for a network whose activations stay float32 (the semantics of {@code
 * torch.autocast}): every {@link Lowerable} layer ({@link Linear}, {@link Conv2d}, {@link
 * MultiheadAttention}) moves its matrix weight into a {@link ScriptKernels} module in bf16 or fp16
 * and from then on multiplies in that type (float32 accumulation inside the kernel) with float32
 * input and output; biases, norms, embeddings, codebooks and everything else stay float32. Weights
 * already held by kernels (e.g. shared with a LoRA-merged copy's base) are left as they are.
 */
public final class LowPrecision {
  private LowPrecision() {}

  /** A layer whose matrix weight can be held by {@link ScriptKernels}. */
  public interface Lowerable {
    /** Moves the layer's float32 matrix weight into {@code kernels} as {@code dtype}. */
    void lower(ScriptKernels kernels, int dtype);
  }

  /**
   * Lowers every {@link Lowerable} under {@code root} (depth first); returns how many weights were
   * moved.
   */
  public static int apply(Module root, ScriptKernels kernels, int dtype) {
    int[] count = {0};
    walk(root, kernels, dtype, count);
    return count[0];
  }

  private static void walk(Module m, ScriptKernels kernels, int dtype, int[] count) {
    if (m instanceof Lowerable l) {
      long before = scripted(m);
      l.lower(kernels, dtype);
      count[0] += (int) (scripted(m) - before);
    }
    for (Module c : m.children().values()) {
      walk(c, kernels, dtype, count);
    }
  }

  private static long scripted(Module m) {
    return m.namedParameters().values().stream().filter(Parameter::isScripted).count();
  }

  /** Whether any parameter under {@code root} is held by {@link ScriptKernels}. */
  public static boolean isLowered(Module root) {
    return root.namedParameters().values().stream().anyMatch(Parameter::isScripted);
  }
}
