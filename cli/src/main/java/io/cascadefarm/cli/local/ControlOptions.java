package io.cascadefarm.cli.local;

import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequestBuilder;
import io.cascadefarm.cascade.pipeline.RequestDefaults;
import io.cascadefarm.cascade.pipeline.control.ControlType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * ControlNet and LoRA options of {@code farm generate}: {@code --control TYPE} (implies kind
 * controlnet), {@code --mask FILE}, {@code --control-strength}, repeatable {@code --lora
 * name=path[:strength]}.
 */
public final class ControlOptions {
  @Option(
      names = "--control",
      description = "ControlNet: canny, inpaint, outpaint, super_resolution or identity")
  String control;

  @Option(names = "--mask", description = "Mask PNG for inpaint/outpaint (white = generate)")
  Path mask;

  @Option(
      names = "--control-strength",
      defaultValue = "1.0",
      description = "ControlNet multiplier (default 1.0)")
  double controlStrength;

  @Option(
      names = "--lora",
      description = "LoRA name=path.safetensors[:strength] (strength default 1; repeatable)")
  List<String> loras = new ArrayList<>();

  boolean isSet() {
    return control != null;
  }

  /**
   * Output size: explicit values, else 1024, except super-resolution where it defaults to twice the
   * input image (rounded down to a multiple of 8).
   */
  int[] size(GenerationKind kind, BufferedImage input, Integer width, Integer height) {
    boolean sr =
        kind == GenerationKind.CONTROLNET
            && control != null
            && ControlType.isKnown(control)
            && ControlType.parse(control) == ControlType.SUPER_RESOLUTION;
    int w = RequestDefaults.WIDTH;
    int h = RequestDefaults.HEIGHT;
    if (sr && input != null) {
      w = input.getWidth() * 2 / 8 * 8;
      h = input.getHeight() * 2 / 8 * 8;
    }
    return new int[] {width != null ? width : w, height != null ? height : h};
  }

  /** Adds the control and LoRA settings to {@code b}; checks flag combinations. */
  void apply(GenerationKind kind, GenerationRequestBuilder b) throws IOException {
    if (kind == GenerationKind.CONTROLNET) {
      if (control == null) {
        throw new IllegalArgumentException("--kind controlnet needs --control TYPE");
      }
      BufferedImage m = mask == null ? null : GenerateOptions.read("--mask", mask);
      b.control(control, m, controlStrength);
    } else if (control != null || mask != null) {
      throw new IllegalArgumentException(
          "--control and --mask are only used with --kind controlnet");
    }
    for (String spec : loras) {
      LoraSpec l = LoraSpec.parse(spec);
      if (!Files.isRegularFile(l.path())) {
        throw new IllegalArgumentException("--lora " + l.name() + ": file not found: " + l.path());
      }
      b.lora(l.path().toString(), l.strength());
    }
  }
}
