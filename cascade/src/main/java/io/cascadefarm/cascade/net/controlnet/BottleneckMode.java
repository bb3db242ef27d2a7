package io.cascadefarm.cascade.net.controlnet;

/** The official {@code bottleneck_mode} values. */
public enum BottleneckMode {
  /** EfficientNetV2-S features (canny, inpainting); the default when unset. */
  EFFNET("effnet"),
  /** 3x3 conv to 4x width, LeakyReLU, 3x3 conv back (face identity). */
  SIMPLE("simple"),
  /** 1x1 convs to 16384 and 1024, 8 residual blocks, 1x1 conv to 1280 (super-resolution). */
  LARGE("large");

  private final String officialName;

  BottleneckMode(String officialName) {
    this.officialName = officialName;
  }

  public String officialName() {
    return officialName;
  }

  /** Parses the official value; null or empty means {@link #EFFNET}. */
  public static BottleneckMode parse(String name) {
    if (name == null || name.isEmpty() || "null".equals(name)) {
      return EFFNET;
    }
    for (BottleneckMode m : values()) {
      if (m.officialName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown bottleneck_mode '" + name + "' (expected effnet, simple or large)");
  }
}
