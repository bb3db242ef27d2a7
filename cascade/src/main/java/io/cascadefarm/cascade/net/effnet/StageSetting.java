package io.cascadefarm.cascade.net.effnet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of torchvision's {@code inverted_residual_setting}: a stage of {@code numLayers} blocks
 * whose first block has the given stride and input channels (later ones stride 1, in = out).
 * Channels are stored as torchvision uses them ({@code MBConvConfig} rounds to multiples of 8).
 */
public record StageSetting(
    BlockType block,
    double expandRatio,
    int kernel,
    int stride,
    int inputChannels,
    int outChannels,
    int numLayers) {

  public StageSetting {
    if (stride < 1 || stride > 2) {
      throw new IllegalArgumentException("EfficientNet stage: illegal stride " + stride);
    }
    if (kernel < 1 || kernel % 2 == 0 || numLayers < 1 || expandRatio <= 0) {
      throw new IllegalArgumentException(
          "EfficientNet stage: kernel must be odd, num_layers >= 1, expand_ratio > 0");
    }
    if (block == BlockType.MBCONV) {
      inputChannels = makeDivisible(inputChannels, 8);
      outChannels = makeDivisible(outChannels, 8);
    }
  }

  /** Shorthand in torchvision argument order. */
  public static StageSetting of(
      BlockType block, double e, int kernel, int stride, int in, int out, int layers) {
    return new StageSetting(block, e, kernel, stride, in, out, layers);
  }

  /** Parses {@code {"block","expand_ratio","kernel","stride","input_channels",...}}. */
  public static StageSetting fromJson(JsonNode n) {
    String[] keys = {"block", "expand_ratio", "kernel", "stride", "input_channels", "out_channels"};
    for (String k : keys) {
      if (!n.hasNonNull(k)) {
        throw new IllegalArgumentException("inverted_residual_setting entry lacks '" + k + "'");
      }
    }
    return new StageSetting(
        BlockType.parse(n.get("block").asText()),
        n.get("expand_ratio").asDouble(),
        n.get("kernel").asInt(),
        n.get("stride").asInt(),
        n.get("input_channels").asInt(),
        n.get("out_channels").asInt(),
        n.path("num_layers").asInt(1));
  }

  /** Expanded width of a block with {@code in} input channels. */
  public int expandedChannels(int in) {
    return makeDivisible(in * expandRatio, 8);
  }

  /** torchvision {@code _make_divisible(v, divisor)} (min value = divisor, 10% rule). */
  public static int makeDivisible(double v, int divisor) {
    int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * v ? rounded + divisor : rounded;
  }
}
