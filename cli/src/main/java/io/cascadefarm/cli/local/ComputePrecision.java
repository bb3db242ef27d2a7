package io.cascadefarm.cli.local;

import io.cascadefarm.cascade.model.Precision;
import java.util.Locale;

/**
 * Compute precision requested for a local render. fp32 is the default. fp16 ({@link
 * Precision#FP16}: Stage C and Stage B weights converted to float16 when loaded, everything else
 * float32) is refused for the big Stage C, whose activations overflow in fp16 (NaN / black images,
 * docs/performance.md). bf16 and auto: see {@link Precision}.
 */
enum ComputePrecision {
  FP32,
  FP16,
  BF16,
  AUTO;

  /** Throws a clear error unless this precision can render {@code model}. */
  void check(String model) {
    if (this == FP16 && "big".equals(model)) {
      throw new IllegalArgumentException(
          "--precision fp16 is refused for --model big: the 3.6B Stage C overflows in fp16"
              + " (NaN / black images). Use fp32 (default), bf16, auto or --model lite.");
    }
  }

  /** The pipeline's precision. */
  Precision model() {
    return Precision.valueOf(name());
  }

  static ComputePrecision parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
