package io.cascadefarm.cascade.net.effnet;

/** The two torchvision EfficientNetV2 block kinds. */
public enum BlockType {
  /** Fused-MBConv: a full k x k expansion conv (or a single conv when not expanding). */
  FUSED_MBCONV("FusedMBConv"),
  /** MBConv: 1x1 expansion, depthwise k x k, squeeze-excitation, 1x1 projection. */
  MBCONV("MBConv");

  private final String torchName;

  BlockType(String torchName) {
    this.torchName = torchName;
  }

  /** The torchvision class name ({@code FusedMBConv} / {@code MBConv}). */
  public String torchName() {
    return torchName;
  }

  /** Parses a torchvision class name; error names the value. */
  public static BlockType parse(String name) {
    for (BlockType t : values()) {
      if (t.torchName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown EfficientNet block '" + name + "' (expected FusedMBConv or MBConv)");
  }
}
