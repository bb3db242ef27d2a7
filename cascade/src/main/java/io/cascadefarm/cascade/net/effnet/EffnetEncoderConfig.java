package io.cascadefarm.cascade.net.effnet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Configuration of the {@code EfficientNetEncoder}: its backbone and the latent channels of the
 * mapper (16 = the Stage C latent width).
 */
public record EffnetEncoderConfig(EfficientNetConfig backbone, int cLatent) {

  public EffnetEncoderConfig {
    if (cLatent < 1) {
      throw new IllegalArgumentException("EffnetEncoderConfig: c_latent must be >= 1");
    }
  }

  /** The released encoder ({@code effnet_encoder.safetensors}): EfficientNetV2-S + 1280->16. */
  public static EffnetEncoderConfig official() {
    return new EffnetEncoderConfig(EfficientNetConfig.v2s(), 16);
  }

  /** Tiny backbone (stride 32, 64 head channels) with the official 16 latent channels. */
  public static EffnetEncoderConfig tiny() {
    return new EffnetEncoderConfig(EfficientNetConfig.tiny(), 16);
  }

  /** From a fixture/config node: {@code c_latent} plus the backbone description. */
  public static EffnetEncoderConfig fromJson(JsonNode n) {
    return new EffnetEncoderConfig(EfficientNetConfig.fromJson(n), n.path("c_latent").asInt(16));
  }
}
