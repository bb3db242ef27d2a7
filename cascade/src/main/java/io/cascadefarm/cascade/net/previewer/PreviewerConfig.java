package io.cascadefarm.cascade.net.previewer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Constructor arguments of the official {@code Previewer}.
 *
 * @param cIn latent channels (16)
 * @param cHidden widest hidden width (512); later stages use {@code c_hidden // 2} and {@code // 4}
 * @param cOut output channels (3, RGB)
 */
public record PreviewerConfig(int cIn, int cHidden, int cOut) {

  public PreviewerConfig {
    if (cIn < 1 || cOut < 1 || cHidden < 4) {
      throw new IllegalArgumentException(
          "PreviewerConfig: c_in/c_out must be >= 1 and c_hidden >= 4, got "
              + cIn
              + "/"
              + cHidden
              + "/"
              + cOut);
    }
  }

  /** The released Previewer ({@code previewer.safetensors}, 3.98 M parameters). */
  public static PreviewerConfig official() {
    return new PreviewerConfig(16, 512, 3);
  }

  /** A tiny Previewer for CPU tests (same 8x upscaling). */
  public static PreviewerConfig tiny() {
    return new PreviewerConfig(16, 32, 3);
  }

  /** Reads the official keyword arguments; absent keys take the official defaults. */
  public static PreviewerConfig fromJson(JsonNode n) {
    PreviewerConfig d = official();
    return new PreviewerConfig(
        n.path("c_in").asInt(d.cIn),
        n.path("c_hidden").asInt(d.cHidden),
        n.path("c_out").asInt(d.cOut));
  }
}
