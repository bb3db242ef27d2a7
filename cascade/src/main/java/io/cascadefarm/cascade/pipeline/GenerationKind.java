package io.cascadefarm.cascade.pipeline;

import java.util.Locale;

/** What a request renders (the use cases of the official inference/*.ipynb notebooks). */
public enum GenerationKind {
  /** Prompt to image: Stage C from noise, then Stage B and Stage A. */
  TEXT_TO_IMAGE,
  /** Variations of an input image: its CLIP image embedding conditions Stage C. */
  IMAGE_VARIATION,
  /** The input image's EfficientNet latents, noised to {@code strength}, seed Stage C. */
  IMAGE_TO_IMAGE,
  /** Stage B + A autoencoding of the input image's EfficientNet latents (no Stage C). */
  RECONSTRUCT,
  /**
   * ControlNet-guided Stage C; not implemented by this pipeline (the ControlNet helper owns it).
   */
  CONTROLNET;

  /** Lower-case name, e.g. {@code text_to_image}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the kind needs an input image. */
  public boolean needsImage() {
    return this != TEXT_TO_IMAGE;
  }

  /** Whether the kind runs Stage C (the prior). */
  public boolean usesPrior() {
    return this != RECONSTRUCT;
  }
}
