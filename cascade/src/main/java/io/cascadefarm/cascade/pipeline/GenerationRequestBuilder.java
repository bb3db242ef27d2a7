package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.StageSettings;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link GenerationRequest} starting from the kind's defaults. Stage settings left unset
 * follow the kind (and, for image-to-image, the strength).
 */
public final class GenerationRequestBuilder {
  private final GenerationKind kind;
  private String model = RequestDefaults.MODEL;
  private String prompt = "";
  private String negativePrompt = "";
  private int width = RequestDefaults.WIDTH;
  private int height = RequestDefaults.HEIGHT;
  private Long seed;
  private int images = RequestDefaults.IMAGES;
  private StageSettings prior;
  private StageSettings decoder;
  private BufferedImage image;
  private double strength = RequestDefaults.STRENGTH;
  private int previewEvery;
  private String controlType;
  private BufferedImage mask;
  private double controlStrength = RequestDefaults.CONTROL_STRENGTH;
  private final List<LoraRef> loras = new ArrayList<>();
  private io.cascadefarm.cascade.diffusion.SamplerType sampler =
      io.cascadefarm.cascade.diffusion.SamplerType.DDPM;
  private double cfgRescale = RequestDefaults.CFG_RESCALE;
  private NoiseKind noise = NoiseKind.JAVA;
  private String decoderNegativePrompt = "";
  private final List<BufferedImage> extraImages = new ArrayList<>();
  private HostTensor latents;
  private boolean promptWeights;
  private final java.util.Map<String, HostTensor> embeddings = new java.util.LinkedHashMap<>();

  GenerationRequestBuilder(GenerationKind kind) {
    this.kind = kind;
  }

  GenerationRequestBuilder(GenerationRequest r) {
    this(r.kind());
    model = r.model();
    prompt = r.prompt();
    negativePrompt = r.negativePrompt();
    width = r.width();
    height = r.height();
    seed = r.seed();
    images = r.images();
    prior = r.prior();
    decoder = r.decoder();
    image = r.image();
    strength = r.strength();
    previewEvery = r.previewEvery();
    controlType = r.controlType();
    mask = r.mask();
    controlStrength = r.controlStrength();
    loras.addAll(r.loras());
    sampler = r.sampler();
    cfgRescale = r.cfgRescale();
    noise = r.noise();
    decoderNegativePrompt = r.decoderNegativePrompt();
    extraImages.addAll(r.extraImages());
    latents = r.latents();
    embeddings.putAll(r.embeddings());
    promptWeights = r.promptWeights();
  }

  /** Whether {@code (text:weight)} in the prompts weights those tokens (default off). */
  public GenerationRequestBuilder promptWeights(boolean value) {
    promptWeights = value;
    return this;
  }

  /** The gdf sampler of both stages (default DDPM). */
  public GenerationRequestBuilder sampler(io.cascadefarm.cascade.diffusion.SamplerType value) {
    sampler = value;
    return this;
  }

  /** gdf's {@code cfg_rho} of both stages (default 0.7; 0 = off). */
  public GenerationRequestBuilder cfgRescale(double value) {
    cfgRescale = value;
    return this;
  }

  /** Where the noise comes from (default {@link NoiseKind#JAVA}). */
  public GenerationRequestBuilder noise(NoiseKind value) {
    noise = value;
    return this;
  }

  /** Stage B's unconditional prompt (default empty). */
  public GenerationRequestBuilder decoderNegativePrompt(String value) {
    decoderNegativePrompt = value;
    return this;
  }

  /** More image-variation inputs after {@link #image}. */
  public GenerationRequestBuilder extraImage(BufferedImage value) {
    extraImages.add(value);
    return this;
  }

  /** Initial latents of the first sampled stage instead of noise. */
  public GenerationRequestBuilder latents(HostTensor value) {
    latents = value;
    return this;
  }

  /** A precomputed conditioning tensor by its diffusers name. */
  public GenerationRequestBuilder embedding(String name, HostTensor value) {
    embeddings.put(name, value);
    return this;
  }

  public GenerationRequestBuilder model(String value) {
    model = value;
    return this;
  }

  public GenerationRequestBuilder prompt(String value) {
    prompt = value;
    return this;
  }

  public GenerationRequestBuilder negativePrompt(String value) {
    negativePrompt = value;
    return this;
  }

  public GenerationRequestBuilder size(int w, int h) {
    width = w;
    height = h;
    return this;
  }

  public GenerationRequestBuilder seed(Long value) {
    seed = value;
    return this;
  }

  public GenerationRequestBuilder images(int value) {
    images = value;
    return this;
  }

  public GenerationRequestBuilder prior(StageSettings value) {
    prior = value;
    return this;
  }

  public GenerationRequestBuilder decoder(StageSettings value) {
    decoder = value;
    return this;
  }

  public GenerationRequestBuilder image(BufferedImage value) {
    image = value;
    return this;
  }

  public GenerationRequestBuilder strength(double value) {
    strength = value;
    return this;
  }

  public GenerationRequestBuilder previewEvery(int value) {
    previewEvery = value;
    return this;
  }

  public GenerationRequestBuilder control(String type, BufferedImage maskImage, double strength) {
    controlType = type;
    mask = maskImage;
    controlStrength = strength;
    return this;
  }

  public GenerationRequestBuilder lora(String name, double loraStrength) {
    loras.add(new LoraRef(name, loraStrength));
    return this;
  }

  public GenerationRequest build() {
    StageSettings p = prior;
    if (p == null && kind == GenerationKind.CONTROLNET) {
      p = RequestDefaults.controlNetPrior(controlType);
    }
    return new GenerationRequest(
        kind,
        model,
        prompt,
        negativePrompt,
        width,
        height,
        seed,
        images,
        p,
        decoder,
        image,
        strength,
        previewEvery,
        controlType,
        mask,
        controlStrength,
        loras,
        sampler,
        cfgRescale,
        noise,
        decoderNegativePrompt,
        extraImages,
        latents,
        embeddings,
        promptWeights);
  }
}
