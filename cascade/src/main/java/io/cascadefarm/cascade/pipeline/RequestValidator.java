package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.pipeline.control.ControlType;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link GenerationRequest}. Bounds: width/height {@value #MIN_SIZE}..{@value #MAX_SIZE}
 * px and multiples of 8 (so the Stage B latent {@code ceil(px/4)} is even; multiples of 128 are
 * recommended), 1..{@value #MAX_IMAGES} images, 1..{@value #MAX_STEPS} steps, guidance 0..{@value
 * #MAX_GUIDANCE}, shift in (0, {@value #MAX_SHIFT}], strength in (0, 1].
 *
 * <p>The official code only needs shift > 0 (gdf adds {@code 2 ln(1/shift)} to the logSNR); the
 * upper bound is a sanity limit. A farm's job contract must stay within these bounds: the worker's
 * tests prove that every job its API accepts passes here.
 */
final class RequestValidator {
  static final int MIN_SIZE = 64;
  static final int MAX_SIZE = 4096;
  static final int MAX_IMAGES = 16;
  static final int MAX_STEPS = 200;
  static final double MAX_GUIDANCE = 50;
  static final double MAX_SHIFT = 20;
  static final int MAX_PROMPT_CHARS = 10_000;
  static final int MIN_INPUT = 8;
  static final int MAX_INPUT = 8192;
  static final Set<String> MODELS = Set.of("tiny", "lite", "big");
  static final int MAX_EXTRA_IMAGES = 15;

  /** Precomputed conditioning a request may carry, by diffusers' names. */
  static final Set<String> EMBEDDINGS =
      Set.of(
          "prompt_embeds",
          "prompt_embeds_pooled",
          "negative_prompt_embeds",
          "negative_prompt_embeds_pooled",
          "image_embeds",
          TensorFiles.PRIOR_LATENTS);

  private RequestValidator() {}

  /**
   * A fine-tuned model's name {@code <owner>/<name>} (the registry resolves it, or refuses it as
   * unknown).
   */
  private static boolean fineTuned(String model) {
    int slash = model.indexOf('/');
    return slash > 0 && slash == model.lastIndexOf('/') && slash < model.length() - 1;
  }

  static List<Problem> validate(GenerationRequest r) {
    List<Problem> out = new ArrayList<>();
    if (r.model() == null || !MODELS.contains(r.model()) && !fineTuned(r.model())) {
      out.add(
          new Problem(
              "model", "must be one of tiny, lite, big or <owner>/<name>; got " + r.model()));
    }
    size(out, "width", r.width());
    size(out, "height", r.height());
    if (r.images() < 1 || r.images() > MAX_IMAGES) {
      out.add(new Problem("images", "must be 1.." + MAX_IMAGES + ", got " + r.images()));
    }
    if (r.kind().usesPrior()) {
      stage(out, "prior", r.prior());
    }
    if (r.kind().usesDecoder()) {
      stage(out, "decoder", r.decoder());
    }
    text(out, "prompt", r.prompt());
    text(out, "negativePrompt", r.negativePrompt());
    if (r.previewEvery() < 0) {
      out.add(new Problem("previewEvery", "must be >= 0 (0 = off), got " + r.previewEvery()));
    }
    if (r.kind().needsImage() && r.image() == null) {
      out.add(new Problem("image", "is required for " + r.kind().wireName()));
    }
    if (r.kind() == GenerationKind.DECODE && r.image() != null) {
      out.add(new Problem("image", "is not used by decode (give the Stage C latents)"));
    }
    inputImage(out, "image", r.image());
    controls(out, r);
    inputImage(out, "mask", r.mask());
    if (r.kind() == GenerationKind.IMAGE_TO_IMAGE && !(r.strength() > 0 && r.strength() <= 1)) {
      out.add(new Problem("strength", "must be in (0, 1], got " + r.strength()));
    }
    controlNet(out, r);
    for (int i = 0; i < r.loras().size(); i++) {
      LoraRef l = r.loras().get(i);
      if (l == null || l.name() == null || l.name().isBlank()) {
        out.add(new Problem("loras[" + i + "].name", "must not be blank"));
      } else if (!Double.isFinite(l.strength())) {
        out.add(new Problem("loras[" + i + "].strength", "must be finite"));
      }
    }
    return out;
  }

  /** Sampler, noise and conditioning controls (issue 18). */
  private static void controls(List<Problem> out, GenerationRequest r) {
    if (!(r.cfgRescale() >= 0 && r.cfgRescale() <= 1)) {
      out.add(new Problem("cfgRescale", "must be in [0, 1] (0 = off), got " + r.cfgRescale()));
    }
    text(out, "decoderNegativePrompt", r.decoderNegativePrompt());
    grid(out, "prior.timesteps", r.kind().usesPrior() ? r.prior() : null);
    grid(out, "decoder.timesteps", r.kind().usesDecoder() ? r.decoder() : null);
    if (r.kind() == GenerationKind.IMAGE_TO_IMAGE && r.prior().timesteps() != null) {
      out.add(
          new Problem(
              "prior.timesteps", "is not used by image_to_image (it starts at t = strength)"));
    }
    if (!r.extraImages().isEmpty()) {
      if (!r.kind().embedsImages() || r.image() == null) {
        out.add(
            new Problem("extraImages", "are only used by image_variation and prior, after image"));
      }
      if (r.extraImages().size() > MAX_EXTRA_IMAGES) {
        out.add(new Problem("extraImages", "must be at most " + MAX_EXTRA_IMAGES));
      }
      for (int i = 0; i < r.extraImages().size(); i++) {
        inputImage(out, "extraImages[" + i + "]", r.extraImages().get(i));
      }
    }
    if (r.latents() != null) {
      latents(out, r);
    }
    for (String name : r.embeddings().keySet()) {
      if (!EMBEDDINGS.contains(name)) {
        out.add(
            new Problem(
                "embeddings", "has an unknown tensor " + name + " (known: " + EMBEDDINGS + ")"));
      }
    }
    HostTensor c = r.embeddings().get(TensorFiles.PRIOR_LATENTS);
    if (r.kind() == GenerationKind.DECODE) {
      if (c == null) {
        out.add(
            new Problem(
                "embeddings",
                "must hold the Stage C latents " + TensorFiles.PRIOR_LATENTS + " for decode"));
      } else if (c.shape().length != 4
          || c.shape()[1] != PriorStage.CHANNELS
          || (c.shape()[0] != 1 && c.shape()[0] != r.images())) {
        out.add(
            new Problem(
                "embeddings",
                TensorFiles.PRIOR_LATENTS
                    + " must be [1 or images, 16, h, w], got "
                    + c.shapeText()));
      }
    } else if (c != null) {
      out.add(new Problem("embeddings", TensorFiles.PRIOR_LATENTS + " is only used by decode"));
    }
  }

  private static void latents(List<Problem> out, GenerationRequest r) {
    GenerationKind k = r.kind();
    if (k == GenerationKind.IMAGE_TO_IMAGE || k == GenerationKind.CONTROLNET) {
      out.add(
          new Problem("latents", "is not used by " + k.wireName() + " (it starts from its image)"));
      return;
    }
    long[] want =
        k.latentsStartDecoder()
            ? new long[] {
              r.images(),
              DecoderStage.CHANNELS,
              LatentSizes.stageB(r.height()),
              LatentSizes.stageB(r.width())
            }
            : new long[] {
              r.images(),
              PriorStage.CHANNELS,
              LatentSizes.stageC(r.height()),
              LatentSizes.stageC(r.width())
            };
    if (!java.util.Arrays.equals(want, r.latents().shape())) {
      out.add(
          new Problem(
              "latents",
              "must have shape "
                  + java.util.Arrays.toString(want)
                  + " (images, channels, latent height, latent width) for "
                  + k.wireName()
                  + " at "
                  + r.width()
                  + "x"
                  + r.height()
                  + ", got "
                  + r.latents().shapeText()));
    }
  }

  private static void grid(List<Problem> out, String field, StageSettings s) {
    if (s == null || s.timesteps() == null) {
      return;
    }
    String problem = StageSettings.gridProblem(s.timesteps());
    if (problem != null) {
      out.add(new Problem(field, problem));
    } else if (s.timesteps().size() - 1 > MAX_STEPS) {
      out.add(new Problem(field, "must have at most " + (MAX_STEPS + 1) + " times"));
    }
  }

  private static void size(List<Problem> out, String field, int px) {
    if (px < MIN_SIZE || px > MAX_SIZE) {
      out.add(new Problem(field, "must be " + MIN_SIZE + ".." + MAX_SIZE + " px, got " + px));
    } else if (px % 8 != 0) {
      // a multiple of 8 is exactly what makes the Stage B latent ceil(px/4) even
      out.add(
          new Problem(
              field,
              "must be a multiple of 8 so the Stage B latent (px/4) is even"
                  + " (multiples of 128 recommended), got "
                  + px));
    }
  }

  private static void inputImage(List<Problem> out, String field, BufferedImage img) {
    if (img != null
        && (img.getWidth() < MIN_INPUT
            || img.getHeight() < MIN_INPUT
            || img.getWidth() > MAX_INPUT
            || img.getHeight() > MAX_INPUT)) {
      out.add(
          new Problem(
              field,
              "must be "
                  + MIN_INPUT
                  + ".."
                  + MAX_INPUT
                  + " px per side, got "
                  + img.getWidth()
                  + "x"
                  + img.getHeight()));
    }
  }

  private static void stage(List<Problem> out, String field, StageSettings s) {
    if (s.timesteps() == null && (s.steps() < 1 || s.steps() > MAX_STEPS)) {
      out.add(new Problem(field + ".steps", "must be 1.." + MAX_STEPS + ", got " + s.steps()));
    }
    if (!(s.guidance() >= 0 && s.guidance() <= MAX_GUIDANCE)) {
      out.add(
          new Problem(field + ".guidance", "must be 0.." + MAX_GUIDANCE + ", got " + s.guidance()));
    }
    if (!(s.shift() > 0 && s.shift() <= MAX_SHIFT)) {
      out.add(new Problem(field + ".shift", "must be in (0, " + MAX_SHIFT + "], got " + s.shift()));
    }
  }

  private static void text(List<Problem> out, String field, String value) {
    if (value.length() > MAX_PROMPT_CHARS) {
      out.add(new Problem(field, "is longer than " + MAX_PROMPT_CHARS + " characters"));
    }
  }

  private static void controlNet(List<Problem> out, GenerationRequest r) {
    if (r.kind() != GenerationKind.CONTROLNET) {
      return;
    }
    if (!ControlType.isKnown(r.controlType())) {
      out.add(
          new Problem(
              "controlType",
              "must be one of " + ControlType.wireNames() + ", got " + r.controlType()));
    } else if (r.mask() != null
        && !Set.of(ControlType.INPAINT, ControlType.OUTPAINT)
            .contains(ControlType.parse(r.controlType()))) {
      out.add(new Problem("mask", "is only used by controlType inpaint and outpaint"));
    }
    if (!(r.controlStrength() >= 0 && Double.isFinite(r.controlStrength()))) {
      out.add(new Problem("controlStrength", "must be >= 0, got " + r.controlStrength()));
    }
  }
}
