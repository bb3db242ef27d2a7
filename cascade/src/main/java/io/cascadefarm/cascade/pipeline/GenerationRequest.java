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
 * @param sampler the gdf sampler of both stages (DDPM, or DDIM)
 * @param cfgRescale gdf's {@code cfg_rho} of both stages (0.7; 0 = off)
 * @param noise where the noise comes from (Java generator, or torch-compatible)
 * @param decoderNegativePrompt Stage B's unconditional prompt (null = empty, as the official code)
 * @param extraImages image variation: more input images after {@code image}, whose CLIP image
 *     embeddings are concatenated after its own (diffusers' {@code images} list)
 * @param latents the first sampled stage's initial latents [images, C, h, w] instead of noise
 *     (Stage C; Stage B for decode and reconstruct), null = drawn from the seed
 * @param embeddings precomputed conditioning by diffusers' names ({@code prompt_embeds}, {@code
 *     prompt_embeds_pooled}, {@code negative_prompt_embeds}, {@code negative_prompt_embeds_pooled},
 *     {@code image_embeds}; for decode {@code image_embeddings}, the Stage C latents)
 * @param promptWeights whether {@code (text:weight)} in the prompt and negative prompt weights
 *     those tokens ({@link PromptWeights}); off by default, as in the official code
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
    List<LoraRef> loras,
    io.cascadefarm.cascade.diffusion.SamplerType sampler,
    double cfgRescale,
    NoiseKind noise,
    String decoderNegativePrompt,
    List<BufferedImage> extraImages,
    HostTensor latents,
    java.util.Map<String, HostTensor> embeddings,
    boolean promptWeights) {

  public GenerationRequest {
    Objects.requireNonNull(kind, "kind");
    prompt = prompt == null ? "" : prompt;
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
    prior = prior == null ? RequestDefaults.prior(kind, strength) : prior;
    decoder = decoder == null ? RequestDefaults.DECODER : decoder;
    loras = loras == null ? List.of() : List.copyOf(loras);
    sampler = sampler == null ? io.cascadefarm.cascade.diffusion.SamplerType.DDPM : sampler;
    noise = noise == null ? NoiseKind.JAVA : noise;
    decoderNegativePrompt = decoderNegativePrompt == null ? "" : decoderNegativePrompt;
    extraImages = extraImages == null ? List.of() : List.copyOf(extraImages);
    embeddings = embeddings == null ? java.util.Map.of() : java.util.Map.copyOf(embeddings);
  }

  /** The sampler settings of Stage C: its stage settings, start time, sampler and rescale. */
  public io.cascadefarm.cascade.diffusion.SamplerSettings priorSampling() {
    return new io.cascadefarm.cascade.diffusion.SamplerSettings(prior, priorStartTime())
        .with(sampler, cfgRescale);
  }

  /** The sampler settings of Stage B (from t = 1). */
  public io.cascadefarm.cascade.diffusion.SamplerSettings decoderSampling() {
    return new io.cascadefarm.cascade.diffusion.SamplerSettings(decoder, 1f)
        .with(sampler, cfgRescale);
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
        String.valueOf(loras),
        sampler.wireName(),
        String.valueOf(cfgRescale),
        noise.wireName(),
        "images+" + extraImages.size(),
        latents == null ? "-" : "latents" + latents.shapeText(),
        String.valueOf(new java.util.TreeSet<>(embeddings.keySet())),
        promptWeights ? "weights" : "-");
  }
}
