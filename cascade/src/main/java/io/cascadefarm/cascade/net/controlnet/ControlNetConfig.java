package io.cascadefarm.cascade.net.controlnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.net.effnet.EfficientNetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Configuration of a {@code ControlNet(c_in, c_proj, proj_blocks, bottleneck_mode)} plus the
 * bottleneck widths the official code hard-codes (kept configurable for the tiny presets).
 *
 * @param cIn filter output channels (canny 1, inpainting 4, super-resolution 16, identity 512)
 * @param cProj projection output channels (Stage C's width, 2048)
 * @param projBlocks Stage C ResBlock call indices that receive a projection
 * @param mode bottleneck kind
 * @param effnet backbone for {@link BottleneckMode#EFFNET} (the stem is replaced when c_in != 3)
 * @param large widths for {@link BottleneckMode#LARGE}
 */
public record ControlNetConfig(
    int cIn,
    int cProj,
    List<Integer> projBlocks,
    BottleneckMode mode,
    EfficientNetConfig effnet,
    LargeBottleneckDims large) {

  /** The released ControlNets' injection points. */
  public static final List<Integer> OFFICIAL_BLOCKS = List.of(0, 4, 8, 12, 51, 55, 59, 63);

  public ControlNetConfig {
    projBlocks = List.copyOf(projBlocks);
    if (cIn < 1 || cProj < 1) {
      throw new IllegalArgumentException("ControlNetConfig: c_in and c_proj must be >= 1");
    }
    if (projBlocks.isEmpty() || projBlocks.stream().anyMatch(b -> b < 0)) {
      throw new IllegalArgumentException(
          "ControlNetConfig: proj_blocks must be non-empty and non-negative, got " + projBlocks);
    }
  }

  /** Canny ControlNet ({@code controlnet/canny.safetensors}). */
  public static ControlNetConfig canny() {
    return official(1, BottleneckMode.EFFNET, OFFICIAL_BLOCKS);
  }

  /** Inpainting/outpainting ControlNet ({@code controlnet/inpainting.safetensors}). */
  public static ControlNetConfig inpainting() {
    return official(4, BottleneckMode.EFFNET, OFFICIAL_BLOCKS);
  }

  /** Super-resolution ControlNet ({@code controlnet/super_resolution.safetensors}). */
  public static ControlNetConfig superResolution() {
    return official(16, BottleneckMode.LARGE, OFFICIAL_BLOCKS);
  }

  /** Face-identity ControlNet (weights never published): simple bottleneck, blocks 0..63. */
  public static ControlNetConfig identity() {
    return official(512, BottleneckMode.SIMPLE, IntStream.range(0, 64).boxed().toList());
  }

  private static ControlNetConfig official(int cIn, BottleneckMode mode, List<Integer> blocks) {
    return new ControlNetConfig(
        cIn, 2048, blocks, mode, EfficientNetConfig.v2s(), LargeBottleneckDims.official());
  }

  /**
   * A tiny ControlNet for CPU tests: tiny EfficientNet / large widths, {@code cProj} matching a
   * tiny Stage C's width and the given injection points.
   */
  public static ControlNetConfig tiny(
      BottleneckMode mode, int cIn, int cProj, List<Integer> projBlocks) {
    return new ControlNetConfig(
        cIn, cProj, projBlocks, mode, EfficientNetConfig.tiny(), LargeBottleneckDims.tiny());
  }

  /**
   * Tiny preset of a released variant, matched to {@code StageCConfig.tiny()} (width 32, six
   * ResBlock calls): same c_in and bottleneck kind as the official variant (identity uses 8 input
   * channels instead of 512), projections into calls 0, 2, 3 and 5.
   */
  public static ControlNetConfig tinyForVariant(String variant) {
    ControlNetConfig official = forVariant(variant);
    int cIn = official.mode() == BottleneckMode.SIMPLE ? 8 : official.cIn();
    return tiny(official.mode(), cIn, 32, List.of(0, 2, 3, 5));
  }

  /** Official preset by variant name: canny, inpainting, super_resolution, identity. */
  public static ControlNetConfig forVariant(String variant) {
    return switch (variant) {
      case "canny" -> canny();
      case "inpainting" -> inpainting();
      case "super_resolution" -> superResolution();
      case "identity" -> identity();
      default ->
          throw new IllegalArgumentException(
              "unknown ControlNet variant '"
                  + variant
                  + "' (canny, inpainting, super_resolution, identity)");
    };
  }

  /**
   * Reads the official kwargs ({@code c_in}, {@code c_proj}, {@code proj_blocks}, mode); an
   * optional backbone description (as in the effnet fixtures) replaces EfficientNetV2-S.
   */
  public static ControlNetConfig fromJson(JsonNode n) {
    if (!n.path("proj_blocks").isArray()) {
      throw new IllegalArgumentException("ControlNet config: 'proj_blocks' list is required");
    }
    List<Integer> blocks = new ArrayList<>();
    n.get("proj_blocks").forEach(b -> blocks.add(b.asInt()));
    JsonNode mode = n.path("bottleneck_mode");
    return new ControlNetConfig(
        n.path("c_in").asInt(3),
        n.path("c_proj").asInt(2048),
        blocks,
        BottleneckMode.parse(mode.isTextual() ? mode.asText() : null),
        EfficientNetConfig.fromJson(n),
        LargeBottleneckDims.official());
  }

  /** Channels of the bottleneck output (the projections' input). */
  public int embedChannels() {
    return switch (mode) {
      case EFFNET -> effnet.lastChannel();
      case SIMPLE -> cIn;
      case LARGE -> large.embed();
    };
  }

  /** Length of the output list: {@code max(proj_blocks) + 1}. */
  public int outputLength() {
    return projBlocks.stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
  }
}
