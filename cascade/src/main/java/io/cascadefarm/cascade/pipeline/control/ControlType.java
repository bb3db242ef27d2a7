package io.cascadefarm.cascade.pipeline.control;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ControlNet job types and the checkpoint each one uses ({@code
 * controlnet/<file>.safetensors}). Inpaint and outpaint share the official inpainting ControlNet.
 */
public enum ControlType {
  CANNY("canny", "canny"),
  INPAINT("inpaint", "inpainting"),
  OUTPAINT("outpaint", "inpainting"),
  SUPER_RESOLUTION("super_resolution", "super_resolution"),
  IDENTITY("identity", "identity");

  private final String wireName;
  private final String variant;

  ControlType(String wireName, String variant) {
    this.wireName = wireName;
    this.variant = variant;
  }

  /** Name used in requests and jobs ({@code canny}, {@code inpaint}, ...). */
  public String wireName() {
    return wireName;
  }

  /** The ControlNet variant / file stem ({@code inpainting} for inpaint and outpaint). */
  public String variant() {
    return variant;
  }

  /** Every accepted wire name. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(ControlType::wireName).toList();
  }

  /**
   * Parses a wire name ({@code inpainting} is accepted as an alias of {@code inpaint}).
   *
   * @throws IllegalArgumentException naming the field {@code control} and the accepted values
   */
  public static ControlType parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if ("inpainting".equals(n)) {
      return INPAINT;
    }
    for (ControlType t : values()) {
      if (t.wireName.equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException("control: must be one of " + wireNames() + ", got " + name);
  }

  /** Whether {@code name} parses. */
  public static boolean isKnown(String name) {
    try {
      parse(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
