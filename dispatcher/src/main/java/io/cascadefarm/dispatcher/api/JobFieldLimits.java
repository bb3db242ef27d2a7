package io.cascadefarm.dispatcher.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Fixed limits of job fields that are not configurable (the configurable ones live in {@link
 * io.cascadefarm.common.config.ApiLimits}). Width and height must be multiples of {@value
 * #SIZE_MULTIPLE} so that the Stage B latent ({@code ceil(H/4)}) is even, as Stage B's
 * PixelUnshuffle(2) requires (spec section 1.3).
 */
public final class JobFieldLimits {
  public static final int MIN_DIMENSION = 64;
  public static final int SIZE_MULTIPLE = 8;
  public static final int MAX_STEPS = 200;
  public static final double MAX_GUIDANCE = 50;
  public static final double MAX_SHIFT = 20;
  public static final double MAX_CONTROL_STRENGTH = 2;
  public static final int MAX_LORAS = 8;
  public static final double MAX_LORA_STRENGTH = 4;
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  public static final List<String> MODELS = List.of("tiny", "lite", "big");

  /** ControlNet types ({@code inpainting} is accepted as an alias of {@code inpaint}). */
  public static final List<String> CONTROLS =
      List.of("canny", "inpaint", "outpaint", "super_resolution", "identity", "inpainting");

  public static final Pattern UPLOAD_KEY = Pattern.compile("uploads/[0-9a-f]{64}\\.(png|webp)");
  public static final Pattern LORA_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private JobFieldLimits() {}
}
