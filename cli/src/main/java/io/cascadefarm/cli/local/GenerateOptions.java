package io.cascadefarm.cli.local;

import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationRequestBuilder;
import io.cascadefarm.codec.image.DecodeBudget;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageLimits;
import io.cascadefarm.codec.image.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The request options of {@code farm generate}; unset stage options keep the kind's defaults. */
public final class GenerateOptions {
  /** Local input images: PNG, JPEG or WebP within the farm's image limits (one at a time). */
  private static final ImageCodec LOCAL_IMAGES =
      new ImageCodec(ImageLimits.DEFAULT, DecodeBudget.unlimited());

  @Option(names = "--prompt", defaultValue = "", description = "Prompt")
  String prompt;

  @Option(names = "--negative-prompt", defaultValue = "", description = "Negative prompt")
  String negativePrompt;

  @Option(
      names = "--model",
      defaultValue = "lite",
      description = "tiny, lite or big (default lite)")
  String model;

  @Option(
      names = "--width",
      description = "Width in px, multiple of 8 (default 1024; super_resolution: 2x the input)")
  Integer width;

  @Option(
      names = "--height",
      description = "Height in px, multiple of 8 (default 1024; super_resolution: 2x the input)")
  Integer height;

  @Option(names = "--seed", description = "Seed (random if absent; always printed)")
  Long seed;

  @Option(names = "--images", defaultValue = "1", description = "Images (one batch)")
  int images;

  @Option(names = "--prior-steps", description = "Stage C steps (default 20)")
  Integer priorSteps;

  @Option(names = "--prior-guidance", description = "Stage C guidance (default 4)")
  Double priorGuidance;

  @Option(names = "--prior-shift", description = "Stage C shift (default 2)")
  Double priorShift;

  @Option(names = "--decoder-steps", description = "Stage B steps (default 10)")
  Integer decoderSteps;

  @Option(names = "--decoder-guidance", description = "Stage B guidance (default 1.1)")
  Double decoderGuidance;

  @Option(
      names = "--image",
      description =
          "Input image (PNG/JPEG) for the image kinds; repeat it for image_variation and prior"
              + " (their CLIP embeddings are concatenated, diffusers images)")
  List<Path> imageFiles = new ArrayList<>();

  Path image;

  @Option(
      names = "--prompt-weights",
      description = "(text:weight) in the prompts weights those tokens (default: text as written)")
  boolean promptWeights;

  @Option(names = "--sampler", defaultValue = "ddpm", description = "ddpm (default) or ddim")
  String sampler;

  @Option(
      names = "--noise",
      defaultValue = "java",
      description =
          "java (default) or torch: torch.manual_seed(seed + i) and the official pipeline's CPU"
              + " draws, bit for bit")
  String noise;

  @Option(
      names = "--cfg-rescale",
      defaultValue = "0.7",
      description = "The official cfg_rho of both stages (default 0.7; 0 = off)")
  double cfgRescale;

  @Option(
      names = "--decoder-negative-prompt",
      defaultValue = "",
      description = "Stage B's unconditional prompt (default empty, as the official code)")
  String decoderNegativePrompt;

  @Option(
      names = "--prior-timesteps",
      split = ",",
      description = "Custom Stage C time grid, e.g. 1,0.75,0.5,0.25,0 (replaces --prior-steps)")
  List<Float> priorTimesteps;

  @Option(
      names = "--decoder-timesteps",
      split = ",",
      description = "Custom Stage B time grid (replaces --decoder-steps)")
  List<Float> decoderTimesteps;

  @Option(
      names = "--latents",
      description = "Initial latents (safetensors, tensor latents) instead of noise")
  Path latents;

  @Option(
      names = "--embeddings",
      description =
          "Precomputed embeddings (safetensors, diffusers names); --kind decode: a --kind prior"
              + " result (image_embeddings)")
  Path embeddings;

  @Option(
      names = "--kind",
      description =
          "text_to_image (default without --image), image_to_image (default with --image),"
              + " image_variation, reconstruct, controlnet (default with --control), prior"
              + " (Stage C latents to --out as safetensors), decode (--embeddings from a prior)")
  String kind;

  @Option(names = "--strength", defaultValue = "0.8", description = "image_to_image noise level")
  double strength;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      description =
          "fp32 (default), fp16 (refused for big), bf16 (matrix weights in bfloat16 through"
              + " TorchScript kernels) or auto (fastest within the parity tolerances on this"
              + " device: fp32 on a CPU)")
  String precision;

  @picocli.CommandLine.Mixin ControlOptions control;

  GenerationKind kind() {
    image = imageFiles.isEmpty() ? null : imageFiles.get(0);
    if (kind == null) {
      if (control.isSet()) {
        return GenerationKind.CONTROLNET;
      }
      return image == null ? GenerationKind.TEXT_TO_IMAGE : GenerationKind.IMAGE_TO_IMAGE;
    }
    GenerationKind k;
    try {
      k = GenerationKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--kind must be text_to_image, image_to_image, image_variation, reconstruct,"
              + " controlnet, prior or decode; got "
              + kind);
    }
    return k;
  }

  ComputePrecision precision() {
    try {
      return ComputePrecision.parse(precision);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--precision must be one of fp32, fp16, bf16, auto; got " + precision);
    }
  }

  /** The validated request. */
  GenerationRequest toRequest() throws IOException {
    GenerationKind k = kind();
    if (k.needsImage() && image == null) {
      throw new IllegalArgumentException("--kind " + k.wireName() + " needs --image FILE");
    }
    if (!k.needsImage() && k != GenerationKind.PRIOR && image != null) {
      throw new IllegalArgumentException("--image is only used with an image --kind");
    }
    GenerationRequestBuilder b =
        GenerationRequest.builder(k)
            .model(model)
            .prompt(prompt)
            .negativePrompt(negativePrompt)
            .seed(seed)
            .images(images)
            .strength(strength);
    BufferedImage input = image == null ? null : read("--image", image);
    if (input != null) {
      b.image(input);
    }
    for (Path more : imageFiles.subList(Math.min(1, imageFiles.size()), imageFiles.size())) {
      b.extraImage(read("--image", more));
    }
    b.sampler(io.cascadefarm.cascade.diffusion.SamplerType.parse(sampler))
        .noise(io.cascadefarm.cascade.pipeline.NoiseKind.parse(noise))
        .cfgRescale(cfgRescale)
        .decoderNegativePrompt(decoderNegativePrompt)
        .promptWeights(promptWeights);
    if (latents != null) {
      io.cascadefarm.cascade.pipeline.HostTensor t = tensors("--latents", latents).get("latents");
      if (t == null) {
        throw new IllegalArgumentException(
            "--latents: " + latents + " holds no tensor named latents");
      }
      b.latents(t);
    }
    if (embeddings != null) {
      tensors("--embeddings", embeddings).forEach(b::embedding);
    }
    int[] size = control.size(k, input, width, height);
    b.size(size[0], size[1]);
    control.apply(k, b);
    GenerationRequest r = b.build();
    StageSettings p = r.prior();
    StageSettings d = r.decoder();
    r =
        r.toBuilder()
            .prior(
                new StageSettings(
                        priorSteps != null ? priorSteps : p.steps(),
                        priorGuidance != null ? priorGuidance : p.guidance(),
                        priorShift != null ? priorShift : p.shift())
                    .withTimesteps(priorTimesteps))
            .decoder(
                new StageSettings(
                        decoderSteps != null ? decoderSteps : d.steps(),
                        decoderGuidance != null ? decoderGuidance : d.guidance(),
                        d.shift())
                    .withTimesteps(decoderTimesteps))
            .build();
    return r.requireValid();
  }

  /** The tensors of a safetensors file given with {@code flag}; errors name the flag. */
  static java.util.Map<String, io.cascadefarm.cascade.pipeline.HostTensor> tensors(
      String flag, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(flag + ": file not found: " + file);
    }
    try {
      return io.cascadefarm.cascade.pipeline.TensorFiles.read(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + file + " " + e.getMessage());
    }
  }

  /** Reads the image given with {@code flag}; errors name the flag. */
  static BufferedImage read(String flag, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(flag + ": file not found: " + file);
    }
    try {
      return LOCAL_IMAGES.decode(Files.readAllBytes(file));
    } catch (ImageRejectedException e) {
      if (e.reason() == ImageRejectedException.Reason.MALFORMED) {
        throw new IOException(flag + ": " + file + " " + e.getMessage(), e); // a read error
      }
      throw new IllegalArgumentException(flag + ": " + file + " " + e.getMessage(), e);
    }
  }
}
