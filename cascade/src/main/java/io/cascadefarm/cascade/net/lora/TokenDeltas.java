package io.cascadefarm.cascade.net.lora;

/**
 * The ReToken part of an official LoRA file: {@code E[indices[i]] += rows[i]}.
 *
 * @param indices token ids ({@code embeddings.indices}, int64)
 * @param rows one delta row per index ({@code embeddings.embeddings}, (n, width))
 * @param width row width (1280 for bigG)
 */
public record TokenDeltas(long[] indices, float[][] rows, int width) {
  public static final TokenDeltas NONE = new TokenDeltas(new long[0], new float[0][], 0);

  public boolean isEmpty() {
    return indices.length == 0;
  }
}
