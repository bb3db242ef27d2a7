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
  CONTROLNET,
  /**
   * Stage C only (diffusers' {@code StableCascadePriorPipeline}): the result is the sampled Stage C
   * latents as a safetensors file ({@link TensorFiles#PRIOR_LATENTS}), one per image; an input
   * image is optional (its CLIP embedding conditions Stage C as for image variation).
   */
  PRIOR,
  /**
   * Stage B and Stage A only (diffusers' {@code StableCascadeDecoderPipeline}): decodes given Stage
   * C latents ({@code image_embeddings} of the request's embeddings, e.g. a prior job's result).
   */
  DECODE;

  /** Lower-case name, e.g. {@code text_to_image}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the kind needs an input image. */
  public boolean needsImage() {
    return this != TEXT_TO_IMAGE && this != PRIOR && this != DECODE;
  }

  /** Whether the kind runs Stage C (the prior). */
  public boolean usesPrior() {
    return this != RECONSTRUCT && this != DECODE;
  }

  /** Whether the kind runs Stage B and A (every kind but {@link #PRIOR}). */
  public boolean usesDecoder() {
    return this != PRIOR;
  }

  /** Whether input images are CLIP-embedded for Stage C (image variation; prior with an image). */
  public boolean embedsImages() {
    return this == IMAGE_VARIATION || this == PRIOR;
  }

  /** Whether caller-supplied {@code latents} start Stage B rather than Stage C. */
  public boolean latentsStartDecoder() {
    return !usesPrior();
  }
}
