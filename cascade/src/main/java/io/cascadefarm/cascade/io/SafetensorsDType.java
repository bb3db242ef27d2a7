package io.cascadefarm.cascade.io;

import java.util.Locale;

/** Element types of the safetensors format that this project reads or writes. */
public enum SafetensorsDType {
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  F64(8, true),
  I64(8, false),
  I32(4, false),
  U8(1, false);

  private final int byteSize;
  private final boolean floating;

  SafetensorsDType(int byteSize, boolean floating) {
    this.byteSize = byteSize;
    this.floating = floating;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** True for floating-point types (loaded as float32). */
  public boolean isFloating() {
    return floating;
  }

  /** Parses a header dtype string such as {@code "BF16"}. */
  public static SafetensorsDType parse(String text, String tensorName) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(
          "tensor '" + tensorName + "': unsupported dtype '" + text + "'");
    }
  }
}
