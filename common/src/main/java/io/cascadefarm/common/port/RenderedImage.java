package io.cascadefarm.common.port;

/**
 * A finished result with its size and seed: a PNG, or for a {@code prior} job the Stage C latents
 * as a safetensors file ({@code format} {@code safetensors}; {@code png} then holds those bytes).
 */
public record RenderedImage(byte[] png, int width, int height, long seed, String format) {
  public RenderedImage {
    format = format == null ? "png" : format;
  }

  public RenderedImage(byte[] png, int width, int height, long seed) {
    this(png, width, height, seed, "png");
  }

  /** The object's content type. */
  public String contentType() {
    return "png".equals(format) ? "image/png" : "application/octet-stream";
  }
}
