package io.cascadefarm.cascade.tools.numerics;

/** The groups the self-check reports one line for. */
public enum OpFamily {
  CONV2D("conv2d"),
  DEPTHWISE_CONV("depthwise conv"),
  LINEAR("linear"),
  MATMUL("matmul"),
  ATTENTION("attention"),
  LAYER_NORM("layer norm"),
  GROUP_NORM("group norm"),
  BATCH_NORM("batch norm"),
  INTERPOLATE("interpolate"),
  ACTIVATION("activation"),
  /** Whole UNet blocks, scripted and op-by-op ({@link BlockProbe}). */
  BLOCK("unet block");

  private final String label;

  OpFamily(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
