package io.cascadefarm.cascade.net.clip;

/**
 * Hyper-parameters of a CLIP vision tower ({@code CLIPVisionConfig} + {@code projection_dim}) and
 * of its preprocessing.
 *
 * @param imageSize input side after resize and centre crop (224)
 * @param patchSize patch side = conv kernel and stride (14)
 * @param width hidden size
 * @param intermediate MLP size
 * @param layers number of encoder layers
 * @param heads attention heads
 * @param projectionDim output size of {@code visual_projection} (no bias)
 * @param activation MLP activation
 * @param layerNormEps LayerNorm epsilon (1e-5)
 */
public record ClipVisionConfig(
    int imageSize,
    int patchSize,
    int width,
    int intermediate,
    int layers,
    int heads,
    int projectionDim,
    ClipActivation activation,
    float layerNormEps) {

  /**
   * OpenAI ViT-L/14 (224 px) as used for Stable Cascade image conditioning (official
   * train/train_c.py setup_models: CLIPVisionModelWithProjection openai/clip-vit-large-patch14).
   */
  public static ClipVisionConfig big() {
    return new ClipVisionConfig(224, 14, 1024, 4096, 24, 16, 768, ClipActivation.QUICK_GELU, 1e-5f);
  }

  /**
   * A small random-weight tower for tests: 28 px (2x2 patches of 14), width 32, 2 layers, 4 heads,
   * projection 24 (= the tiny Stage C fixtures' {@code c_clip_img}).
   */
  public static ClipVisionConfig tiny() {
    return new ClipVisionConfig(28, 14, 32, 64, 2, 4, 24, ClipActivation.QUICK_GELU, 1e-5f);
  }

  /** Patches plus the class token. */
  public int positions() {
    int side = imageSize / patchSize;
    return side * side + 1;
  }

  ClipTowerShape towerShape() {
    return new ClipTowerShape(width, intermediate, layers, heads, activation, layerNormEps);
  }
}
