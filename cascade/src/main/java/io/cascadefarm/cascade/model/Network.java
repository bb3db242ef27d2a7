package io.cascadefarm.cascade.model;

/** The networks of a variant, as precision policies name them. */
public enum Network {
  STAGE_C(true, true),
  STAGE_B(true, true),
  STAGE_A(true, false),
  CLIP_TEXT(true, false),
  CLIP_VISION(true, false),
  PREVIEWER(true, false),
  EFFNET(false, false),
  CONTROLNET(false, false);

  private final boolean reducible;
  private final boolean castsInputs;

  Network(boolean reducible, boolean castsInputs) {
    this.reducible = reducible;
    this.castsInputs = castsInputs;
  }

  /**
   * Whether the network may compute in fp16/bf16 (EfficientNet and the ControlNets stay fp32: they
   * run once per image, and their outputs feed Stage C's conditioning).
   */
  public boolean reducible() {
    return reducible;
  }

  /**
   * Whether the network casts its inputs to its weights' type and back (Stage C and B), so that it
   * can run in fp16 as a whole (fp16 weights and activations, like diffusers' fp16 pipelines);
   * others run fp16 layer by layer with float32 activations.
   */
  public boolean castsInputs() {
    return castsInputs;
  }
}
