package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.StageSettings;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * One generation request. Null {@code prompt}/{@code negativePrompt} mean empty; null {@code
 * prior}/{@code decoder} mean the kind's defaults ({@link RequestDefaults}, official
 * inference/*.ipynb). Sizes are pixels; recommended are multiples of 128 (the official app uses
 * 1024-1536), required are multiples of 8 so the Stage B latent is even. Image {@code i} of a
 * request uses seed {@code seed + i}; a null seed is drawn at random and reported in the result.
 *
 * @param kind what to render
 * @param model {@code tiny}, {@code lite} or {@code big}
 * @param images number of images, rendered as one batch
 * @param image input image for every kind but text-to-image
 * @param strength image-to-image noise level = start time of Stage C (default 0.8)
 * @param previewEvery send a Previewer image every N prior steps (0 = never)
 * @param controlType ControlNet type (canny, inpainting, super_resolution), CONTROLNET only
 * @param mask ControlNet inpainting mask (white = generate), nullable
 * @param controlStrength ControlNet multiplier (default 1.0)
 * @param loras LoRAs merged into Stage C
 */
public record GenerationRequest(
    GenerationKind kind,
    String model,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    Long seed,
    int images,
    StageSettings prior,
    StageSettings decoder,
    BufferedImage image,
    double strength,
    int previewEvery,
    String controlType,
    BufferedImage mask,
    double controlStrength,
    List<LoraRef> loras) {

  public GenerationRequest {
    Objects.requireNonNull(kind, "kind");
    prompt = prompt == null ? "" : prompt;
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
    prior = prior == null ? RequestDefaults.prior(kind, strength) : prior;
    decoder = decoder == null ? RequestDefaults.DECODER : decoder;
    loras = loras == null ? List.of() : List.copyOf(loras);
  }

  /** A builder with every default of {@code kind} filled in. */
  public static GenerationRequestBuilder builder(GenerationKind kind) {
    return new GenerationRequestBuilder(kind);
  }

  /** A text-to-image request with defaults (1024x1024, lite, random seed). */
  public static GenerationRequest textToImage(String prompt) {
    return builder(GenerationKind.TEXT_TO_IMAGE).prompt(prompt).build();
  }

  /** A builder pre-filled with this request's values. */
  public GenerationRequestBuilder toBuilder() {
    return new GenerationRequestBuilder(this);
  }

  /** This request with a fixed seed. */
  public GenerationRequest withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  /** Start time of Stage C: {@code strength} for image-to-image, otherwise 1 (pure noise). */
  public float priorStartTime() {
    return kind == GenerationKind.IMAGE_TO_IMAGE ? (float) strength : 1f;
  }

  /** Every problem of this request (empty when valid). */
  public List<Problem> validate() {
    return RequestValidator.validate(this);
  }

  /** Throws {@link IllegalArgumentException} listing every problem, if any. */
  public GenerationRequest requireValid() {
    List<Problem> problems = validate();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid generation request: " + problems);
    }
    return this;
  }

  /**
   * Requests with equal keys can share one batched {@link CascadePipeline#generate} call: same
   * kind, model, size, stage settings, strength, ControlNet and LoRA set.
   */
  public String batchKey() {
    return String.join(
        "|",
        kind.name(),
        model,
        width + "x" + height,
        String.valueOf(prior),
        String.valueOf(decoder),
        kind == GenerationKind.IMAGE_TO_IMAGE ? String.valueOf(strength) : "-",
        String.valueOf(controlType),
        kind == GenerationKind.CONTROLNET ? String.valueOf(controlStrength) : "-",
        String.valueOf(loras));
  }
}
