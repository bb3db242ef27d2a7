package io.cascadefarm.cascade.model;

import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.nn.Module;
import java.util.Locale;

/**
 * Compute precision of a loaded model variant. {@link #FP32} (default) computes everything in
 * float32. {@link #FP16} converts the Stage C and Stage B weights to float16 when they are bound;
 * those networks cast their inputs to float16 and return float32, so the sampler maths (schedule,
 * CFG rescale, noise) and the other networks (CLIP, EfficientNet, Stage A, previewer, ControlNets)
 * stay float32. fp16 is refused for {@code big}: its 3.6B Stage C overflows in fp16. LoRAs are not
 * supported in fp16 (the merge reads float32 weights).
 */
public enum Precision {
  FP32(DataType.FLOAT32),
  FP16(DataType.FLOAT16);

  /** Why fp16 is refused for the big variant. */
  public static final String BIG_FP16_REFUSED =
      "precision fp16 is refused for model big: the 3.6B Stage C overflows in fp16"
          + " (NaN / black images). Use fp32 (default) or model lite.";

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  public DataType dataType() {
    return dataType;
  }

  /** Lower-case name as used on the command line and in config ({@code fp32}, {@code fp16}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fp32} / {@code fp16} (any case); a clear error names {@code field}. */
  public static Precision parse(String field, String text) {
    if (text != null) {
      for (Precision p : values()) {
        if (p.label().equalsIgnoreCase(text.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(field + " must be fp32 or fp16; got " + text);
  }

  /** Throws {@link IllegalArgumentException} with {@link #BIG_FP16_REFUSED} for fp16 + big. */
  public void check(String variant) {
    if (this == FP16 && "big".equals(variant)) {
      throw new IllegalArgumentException(BIG_FP16_REFUSED);
    }
  }

  /** Converts every bound parameter of {@code net} to this precision (old arrays are freed). */
  public void convert(Module net) {
    net.convertParameters(dataType);
  }
}
