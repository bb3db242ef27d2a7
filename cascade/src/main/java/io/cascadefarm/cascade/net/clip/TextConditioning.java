package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;

/**
 * Text conditioning for Stage C/B.
 *
 * @param tokens {@code hidden_states[-1]}: last layer output before the final LayerNorm, (B, 77,
 *     1280) for the big encoder (Stage C {@code clip_text})
 * @param pooled projected, final-LayerNormed vector at the pooled position, (B, 1, 1280) (Stage C
 *     {@code clip_text_pooled}, Stage B {@code clip})
 */
public record TextConditioning(NDArray tokens, NDArray pooled) implements AutoCloseable {
  /** Batch size. */
  public long batch() {
    return tokens.getShape().get(0);
  }

  @Override
  public void close() {
    tokens.close();
    pooled.close();
  }
}
