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

  private RequestValidator() {}

  static List<Problem> validate(GenerationRequest r) {
    List<Problem> out = new ArrayList<>();
    if (r.model() == null || !MODELS.contains(r.model())) {
      out.add(new Problem("model", "must be one of tiny, lite, big; got " + r.model()));
    }
    size(out, "width", r.width());
    size(out, "height", r.height());
    if (r.images() < 1 || r.images() > MAX_IMAGES) {
      out.add(new Problem("images", "must be 1.." + MAX_IMAGES + ", got " + r.images()));
    }
    if (r.kind().usesPrior()) {
      stage(out, "prior", r.prior());
    }
    stage(out, "decoder", r.decoder());
    text(out, "prompt", r.prompt());
    text(out, "negativePrompt", r.negativePrompt());
    if (r.previewEvery() < 0) {
      out.add(new Problem("previewEvery", "must be >= 0 (0 = off), got " + r.previewEvery()));
    }
    if (r.kind().needsImage() && r.image() == null) {
      out.add(new Problem("image", "is required for " + r.kind().wireName()));
    }
    inputImage(out, "image", r.image());
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
    if (s.steps() < 1 || s.steps() > MAX_STEPS) {
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
