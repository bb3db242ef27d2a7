package io.cascadefarm.cascade.net.effnet;

import static io.cascadefarm.cascade.net.effnet.BlockType.FUSED_MBCONV;
import static io.cascadefarm.cascade.net.effnet.BlockType.MBCONV;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A torchvision {@code EfficientNet(...).features} backbone: stem conv (3x3 stride 2), one
 * sequential per {@link StageSetting}, and a 1x1 head conv to {@code lastChannel}. The stem's input
 * channels and padding are configurable because the ControlNet replaces the stem conv for non-RGB
 * inputs with an unpadded one.
 *
 * @param stages the {@code inverted_residual_setting}
 * @param lastChannel head output channels (1280)
 * @param bnEps BatchNorm eps of every backbone norm (1e-3)
 * @param stemInChannels stem conv input channels (3 for RGB)
 * @param stemPadding stem conv padding (1 officially; 0 for a ControlNet with c_in != 3)
 */
public record EfficientNetConfig(
    List<StageSetting> stages, int lastChannel, float bnEps, int stemInChannels, int stemPadding) {
  private static final Pattern LAST_CHANNEL = Pattern.compile("last_channel\\s*=\\s*(\\d+)");
  private static final Pattern EPS = Pattern.compile("eps\\s*=\\s*([0-9.eE+-]+)");

  public EfficientNetConfig {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("EfficientNet: inverted_residual_setting is empty");
    }
    if (lastChannel < 1 || stemInChannels < 1 || stemPadding < 0) {
      throw new IllegalArgumentException(
          "EfficientNet: last_channel and stem input channels must be >= 1, padding >= 0");
    }
  }

  /** torchvision {@code efficientnet_v2_s().features} (BatchNorm eps 1e-3), 20.18 M params. */
  public static EfficientNetConfig v2s() {
    return new EfficientNetConfig(
        List.of(
            StageSetting.of(FUSED_MBCONV, 1, 3, 1, 24, 24, 2),
            StageSetting.of(FUSED_MBCONV, 4, 3, 2, 24, 48, 4),
            StageSetting.of(FUSED_MBCONV, 4, 3, 2, 48, 64, 4),
            StageSetting.of(MBCONV, 4, 3, 2, 64, 128, 6),
            StageSetting.of(MBCONV, 6, 3, 1, 128, 160, 9),
            StageSetting.of(MBCONV, 6, 3, 2, 160, 256, 15)),
        1280,
        1e-3f,
        3,
        1);
  }

  /** A few-thousand-parameter backbone with the official overall stride 32, for CPU tests. */
  public static EfficientNetConfig tiny() {
    return new EfficientNetConfig(
        List.of(
            StageSetting.of(FUSED_MBCONV, 1, 3, 1, 8, 8, 1),
            StageSetting.of(FUSED_MBCONV, 4, 3, 2, 8, 16, 1),
            StageSetting.of(FUSED_MBCONV, 2, 3, 2, 16, 16, 1),
            StageSetting.of(MBCONV, 4, 3, 2, 16, 24, 2),
            StageSetting.of(MBCONV, 2, 3, 2, 24, 32, 1)),
        64,
        1e-3f,
        3,
        1);
  }

  /**
   * Reads a fixture/config description: an explicit {@code inverted_residual_setting} list (with
   * {@code last_channel=} and {@code eps=} taken from the {@code backbone} text when present), or a
   * {@code backbone} text naming {@code efficientnet_v2_s}.
   */
  public static EfficientNetConfig fromJson(JsonNode config) {
    String text = config.path("backbone").asText("");
    JsonNode setting = config.path("inverted_residual_setting");
    if (!setting.isArray()) {
      if (text.isEmpty() || text.contains("efficientnet_v2_s")) {
        return v2s();
      }
      throw new IllegalArgumentException(
          "EfficientNet config: backbone '"
              + text
              + "' is not efficientnet_v2_s and has no "
              + "inverted_residual_setting");
    }
    List<StageSetting> stages = new ArrayList<>();
    setting.forEach(s -> stages.add(StageSetting.fromJson(s)));
    Matcher last = LAST_CHANNEL.matcher(text);
    Matcher eps = EPS.matcher(text);
    int lastChannel =
        config.hasNonNull("last_channel")
            ? config.get("last_channel").asInt()
            : last.find()
                ? Integer.parseInt(last.group(1))
                : 4 * stages.get(stages.size() - 1).outChannels();
    float bnEps = eps.find() ? Float.parseFloat(eps.group(1)) : 1e-5f;
    return new EfficientNetConfig(stages, lastChannel, bnEps, 3, 1);
  }

  /** Same backbone with the stem conv replaced as the ControlNet does for {@code cIn != 3}. */
  public EfficientNetConfig withStem(int cIn, int padding) {
    return new EfficientNetConfig(stages, lastChannel, bnEps, cIn, padding);
  }

  /** Stem output channels (the first stage's input channels). */
  public int stemChannels() {
    return stages.get(0).inputChannels();
  }

  /** Spatial reduction of the whole backbone (stem stride 2 times every stage stride). */
  public int stride() {
    return stages.stream().mapToInt(StageSetting::stride).reduce(2, (a, b) -> a * b);
  }
}
