package io.cascadefarm.cascade.net.clip;

/**
 * Hyper-parameters of a CLIP text tower ({@code CLIPTextConfig} + {@code projection_dim}).
 *
 * @param vocabSize rows of {@code token_embedding} (49408)
 * @param maxPositions rows of {@code position_embedding} = context length (77)
 * @param width hidden size
 * @param intermediate MLP size
 * @param layers number of encoder layers
 * @param heads attention heads
 * @param projectionDim output size of {@code text_projection} (no bias)
 * @param activation MLP activation
 * @param layerNormEps LayerNorm epsilon (1e-5)
 * @param pooledPosition rule choosing the pooled position
 */
public record ClipTextConfig(
    int vocabSize,
    int maxPositions,
    int width,
    int intermediate,
    int layers,
    int heads,
    int projectionDim,
    ClipActivation activation,
    float layerNormEps,
    PooledPosition pooledPosition) {

  /**
   * OpenCLIP ViT-bigG/14 text tower as used by Stable Cascade (official train/train_c.py
   * setup_models: CLIPTextModelWithProjection laion/CLIP-ViT-bigG-14-laion2B-39B-b160k).
   */
  public static ClipTextConfig big() {
    return new ClipTextConfig(
        49408, 77, 1280, 5120, 32, 20, 1280, ClipActivation.GELU, 1e-5f, PooledPosition.FIRST_EOS);
  }

  /**
   * A small random-weight tower for tests: width 32 (= the tiny Stage C fixtures' {@code
   * c_clip_text}), 2 layers, 4 heads, context 77, for a vocabulary of {@code vocabSize}.
   */
  public static ClipTextConfig tiny(int vocabSize) {
    return new ClipTextConfig(
        vocabSize, 77, 32, 64, 2, 4, 32, ClipActivation.GELU, 1e-5f, PooledPosition.FIRST_EOS);
  }

  /** Same config with another pooled-position rule. */
  public ClipTextConfig withPooledPosition(PooledPosition rule) {
    return new ClipTextConfig(
        vocabSize,
        maxPositions,
        width,
        intermediate,
        layers,
        heads,
        projectionDim,
        activation,
        layerNormEps,
        rule);
  }

  ClipTowerShape towerShape() {
    return new ClipTowerShape(width, intermediate, layers, heads, activation, layerNormEps);
  }
}
