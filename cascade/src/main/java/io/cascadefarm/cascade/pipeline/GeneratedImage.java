package io.cascadefarm.cascade.pipeline;

import java.awt.image.BufferedImage;

/**
 * One rendered image: pixels, the encoded 8-bit sRGB PNG (with the generation parameters as tEXt
 * chunks), the seed that produced it and its size. A {@link GenerationKind#PRIOR} request yields no
 * pixels: {@code image} and {@code png} are null and {@code latents} holds the Stage C latents as a
 * safetensors file ({@link TensorFiles#PRIOR_LATENTS}, with the parameters as metadata).
 */
public record GeneratedImage(
    BufferedImage image, byte[] png, long seed, int width, int height, byte[] latents) {

  public GeneratedImage(BufferedImage image, byte[] png, long seed, int width, int height) {
    this(image, png, seed, width, height, null);
  }

  /** The encoded result: the PNG, or the latents file of a prior request. */
  public byte[] bytes() {
    return png != null ? png : latents;
  }

  /** {@code png} or {@code safetensors}. */
  public String format() {
    return png != null ? "png" : "safetensors";
  }
}
