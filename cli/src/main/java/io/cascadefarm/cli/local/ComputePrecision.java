package io.cascadefarm.cli.local;

import java.util.Locale;

/**
 * Compute precision requested for a local render. fp32 (the default) is what the pipeline computes
 * in. fp16 is refused for the big Stage C, whose activations overflow in fp16 (NaN / black images,
 * spec section 7); for the other variants it is not available yet because {@code CascadePipeline}
 * has no dtype switch (weights are widened to float32 on load).
 */
enum ComputePrecision {
  FP32,
  FP16;

  /** Throws a clear error unless this precision can render {@code model}. */
  void check(String model) {
    if (this == FP32) {
      return;
    }
    if ("big".equals(model)) {
      throw new IllegalArgumentException(
          "--precision fp16 is refused for --model big: the 3.6B Stage C overflows in fp16"
              + " (NaN / black images). Use fp32 (default) or --model lite.");
    }
    throw new UnsupportedOperationException(
        "--precision fp16 is not available yet: the pipeline computes in fp32 (no dtype switch in"
            + " CascadePipeline); use fp32");
  }

  static ComputePrecision parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
