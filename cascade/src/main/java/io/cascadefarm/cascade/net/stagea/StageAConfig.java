package io.cascadefarm.cascade.net.stagea;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Constructor arguments of the official {@code StageA}.
 *
 * @param levels number of resolution levels (the encoder downsamples {@code levels - 1} times after
 *     the initial PixelUnshuffle(2))
 * @param bottleneckBlocks ResBlocks at the deepest decoder level (0 allowed: the official loop
 *     {@code range(bottleneck_blocks)} then adds none)
 * @param cHidden channels of the deepest level; level i has {@code cHidden // 2^(levels-1-i)}
 * @param cLatent latent channels (4 in every released checkpoint)
 * @param codebookSize vector-quantizer codebook entries
 * @param scaleFactor latent scale: encode divides by it, decode multiplies by it
 */
public record StageAConfig(
    int levels,
    int bottleneckBlocks,
    int cHidden,
    int cLatent,
    int codebookSize,
    float scaleFactor) {

  public StageAConfig {
    if (levels < 1 || bottleneckBlocks < 0 || cLatent < 1 || codebookSize < 1) {
      throw new IllegalArgumentException(
          "StageAConfig: levels, c_latent and codebook_size must be >= 1, bottleneck_blocks >= 0");
    }
    if (levels > 30 || (cHidden >> (levels - 1)) < 1) {
      throw new IllegalArgumentException(
          "StageAConfig: c_hidden "
              + cHidden
              + " leaves no channels at level 0 with "
              + levels
              + " levels");
    }
  }

  /** The released Stage A ({@code stage_a.safetensors}, 18.4 M parameters). */
  public static StageAConfig official() {
    return new StageAConfig(2, 12, 384, 4, 8192, 0.43f);
  }

  /** A few-thousand-parameter Stage A for CPU tests (same structure, 4 latent channels). */
  public static StageAConfig tiny() {
    return new StageAConfig(2, 2, 32, 4, 64, 0.43f);
  }

  /** Reads the official keyword arguments; absent keys take the official defaults. */
  public static StageAConfig fromJson(JsonNode n) {
    StageAConfig d = official();
    return new StageAConfig(
        n.path("levels").asInt(d.levels),
        n.path("bottleneck_blocks").asInt(d.bottleneckBlocks),
        n.path("c_hidden").asInt(d.cHidden),
        n.path("c_latent").asInt(d.cLatent),
        n.path("codebook_size").asInt(d.codebookSize),
        (float) n.path("scale_factor").asDouble(d.scaleFactor));
  }

  /** Channels per level, shallow to deep ({@code [192, 384]} officially; floor division). */
  public int[] levelChannels() {
    int[] c = new int[levels];
    for (int i = 0; i < levels; i++) {
      c[i] = cHidden >> (levels - 1 - i);
    }
    return c;
  }
}
