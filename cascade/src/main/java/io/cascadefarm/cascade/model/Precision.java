package io.cascadefarm.cascade.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.nn.LowPrecision;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.ScriptKernels;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Compute precision of a loaded model variant, resolved per network ({@link #forNetwork}).
 *
 * <ul>
 *   <li>{@link #FP32} (default): everything float32.
 *   <li>{@link #FP16}: Stage C and Stage B convert all their weights to float16 and cast their
 *       inputs (fp16 activations, float32 result); Stage A, the CLIP towers and the previewer hold
 *       their linear/conv/attention weights in fp16 and multiply in fp16 with float32 activations
 *       ({@link LowPrecision}). EfficientNet and ControlNets stay fp32. Refused for {@code big}:
 *       its 3.6B Stage C overflows in fp16.
 *   <li>{@link #BF16}: the same networks hold their matrix weights in bfloat16 inside the project's
 *       TorchScript kernels ({@link ScriptKernels}; DJL cannot hold BF16 tensors) and multiply in
 *       bf16, activations float32 (the semantics of {@code torch.autocast(dtype=bfloat16)}).
 *   <li>{@link #AUTO}: per network, the fastest precision that keeps the output within tolerance of
 *       fp32 on the parity fixtures (docs/performance.md): on a CPU everything fp32 (bf16 and fp16
 *       matrix products are several times slower there); on a GPU Stage B, Stage A, CLIP and the
 *       previewer fp16, Stage C fp16 for lite/tiny and bf16 for big where the device computes bf16,
 *       else fp32 with TF32 matmuls ({@link #tf32()}).
 * </ul>
 *
 * LoRA merges read float32 weights (widened from fp16 or bf16) and the merged copy is then cast
 * like the base, so LoRA jobs run in the same precision as plain jobs.
 */
public enum Precision {
  AUTO,
  FP32,
  FP16,
  BF16;

  /** Why fp16 is refused for the big variant. */
  public static final String BIG_FP16_REFUSED =
      "precision fp16 is refused for model big: the 3.6B Stage C overflows in fp16"
          + " (NaN / black images). Use fp32 (default), bf16, auto or model lite.";

  private static final Map<Device, Boolean> BF16_WORKS = new ConcurrentHashMap<>();

  /**
   * Type of the activations of a network computing at this (resolved) precision: FLOAT16 for fp16
   * (Stage C/B as a whole), else FLOAT32.
   */
  public DataType dataType() {
    return this == FP16 ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  /** Lower-case name as used on the command line and in config ({@code fp32}, {@code bf16}...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code auto} / {@code fp32} / {@code fp16} / {@code bf16} (any case). */
  public static Precision parse(String field, String text) {
    if (text != null) {
      for (Precision p : values()) {
        if (p.label().equalsIgnoreCase(text.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        field + " must be one of auto, fp32, fp16, bf16; got " + text);
  }

  /** Throws {@link IllegalArgumentException} with {@link #BIG_FP16_REFUSED} for fp16 + big. */
  public void check(String variant) {
    if (this == FP16 && "big".equals(variant)) {
      throw new IllegalArgumentException(BIG_FP16_REFUSED);
    }
  }

  /** The precision {@code network} of {@code variant} computes in on {@code device}. */
  public Precision forNetwork(Network network, String variant, Device device) {
    return switch (this) {
      case FP32 -> FP32;
      case FP16 -> network.reducible() ? FP16 : FP32;
      case BF16 -> network.reducible() ? BF16 : FP32;
      case AUTO -> auto(network, variant, device);
    };
  }

  private static Precision auto(Network network, String variant, Device device) {
    if (!device.isGpu() || !network.reducible()) {
      return FP32;
    }
    if (network == Network.STAGE_C && "big".equals(variant)) {
      return bf16Works(device) ? BF16 : FP32;
    }
    return FP16;
  }

  /**
   * Whether {@link #AUTO} computes Stage C of {@code variant} in fp32 on a GPU {@code device},
   * where it then turns on TF32 matmuls (cuBLAS) for the process.
   */
  public boolean tf32(String variant, Device device) {
    return this == AUTO && device.isGpu() && forNetwork(Network.STAGE_C, variant, device) == FP32;
  }

  /** Whether a bf16 linear layer runs on {@code device} through the kernels (probed once). */
  public static boolean bf16Works(Device device) {
    return BF16_WORKS.computeIfAbsent(device, ScriptKernels::supportsBf16);
  }

  /**
   * Puts a bound {@code net} (already resolved with {@link #forNetwork}) into this precision;
   * {@code kernels} supplies the variant's kernel module (loaded only when needed).
   */
  public void apply(Module net, Network network, Supplier<ScriptKernels> kernels) {
    switch (this) {
      case FP16 -> {
        if (network.castsInputs()) {
          net.convertParameters(DataType.FLOAT16);
        } else {
          LowPrecision.apply(net, kernels.get(), ScriptKernels.FLOAT16);
        }
      }
      case BF16 -> LowPrecision.apply(net, kernels.get(), ScriptKernels.BFLOAT16);
      case FP32 -> {}
      case AUTO -> throw new IllegalStateException("resolve AUTO with forNetwork first");
    }
  }

  /** Converts every bound parameter of {@code net} to this precision (Stage C/B fp16 path). */
  public void convert(Module net) {
    if (this == FP16) {
      net.convertParameters(DataType.FLOAT16);
    }
  }
}
