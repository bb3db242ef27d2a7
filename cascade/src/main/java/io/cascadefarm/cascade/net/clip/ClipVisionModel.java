package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.cascadefarm.cascade.nn.Conv2d;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Scope;

/**
 * {@code CLIPVisionModelWithProjection} with transformers key names: {@code
 * vision_model.embeddings.{class_embedding, patch_embedding.weight, position_embedding.weight}},
 * {@code vision_model.pre_layrnorm.*} (sic), {@code vision_model.encoder.layers.<n>.*}, {@code
 * vision_model.post_layernorm.*}, {@code visual_projection.weight}.
 */
public final class ClipVisionModel extends Module {
  private final ClipVisionConfig config;
  private final VisionTransformer visionModel;
  private final Linear visualProjection;

  public ClipVisionModel(ClipVisionConfig config) {
    this.config = config;
    this.visionModel = child("vision_model", new VisionTransformer(config));
    this.visualProjection =
        child("visual_projection", new Linear(config.width(), config.projectionDim(), false));
  }

  public ClipVisionConfig config() {
    return config;
  }

  /**
   * @param pixels preprocessed images (B, 3, imageSize, imageSize)
   * @return {@code image_embeds} (B, projectionDim), not normalized
   */
  public NDArray forward(NDArray pixels) {
    NDArray last = lastHiddenState(pixels);
    return Scope.run(
        () -> {
          NDArray cls = last.get(":, 0, :");
          return visualProjection.forward(visionModel.postLayerNorm.forward(cls));
        },
        last);
  }

  /**
   * transformers' {@code last_hidden_state}: the last layer's output (no post_layernorm), (B,
   * positions, width).
   */
  NDArray lastHiddenState(NDArray pixels) {
    NDArray x = visionModel.embed(pixels);
    x = visionModel.preLayerNorm.forward(x);
    return visionModel.encoder.forward(x, null);
  }

  /** {@code CLIPVisionTransformer}. */
  static final class VisionTransformer extends Module {
    final Embeddings embeddings;
    final LayerNorm preLayerNorm;
    final ClipEncoder encoder;
    final LayerNorm postLayerNorm;
    private final ClipVisionConfig config;

    VisionTransformer(ClipVisionConfig config) {
      this.config = config;
      this.embeddings = child("embeddings", new Embeddings(config));
      this.preLayerNorm =
          child("pre_layrnorm", LayerNorm.lastAxis(config.width(), true, config.layerNormEps()));
      this.encoder = child("encoder", new ClipEncoder(config.towerShape()));
      this.postLayerNorm =
          child("post_layernorm", LayerNorm.lastAxis(config.width(), true, config.layerNormEps()));
    }

    /** [class token; patch tokens] + position embeddings, (B, positions, width). */
    NDArray embed(NDArray pixels) {
      long b = pixels.getShape().get(0);
      long d = config.width();
      NDArray patches = embeddings.patchEmbedding.forward(pixels);
      NDArray tokens = patches.reshape(b, d, -1).transpose(0, 2, 1);
      NDArray cls =
          Scope.local(embeddings.classEmbedding.array().reshape(1, 1, d), pixels).repeat(0, b);
      NDArray pos =
          Scope.local(embeddings.positionEmbedding.weight().array().expandDims(0), pixels);
      return NDArrays.concat(new ai.djl.ndarray.NDList(cls, tokens), 1).add(pos);
    }
  }

  /** {@code CLIPVisionEmbeddings}. */
  static final class Embeddings extends Module {
    final Parameter classEmbedding;
    final Conv2d patchEmbedding;
    final EmbeddingTable positionEmbedding;

    Embeddings(ClipVisionConfig config) {
      this.classEmbedding = param("class_embedding", config.width());
      this.patchEmbedding =
          child(
              "patch_embedding",
              new Conv2d(3, config.width(), config.patchSize(), config.patchSize(), 0, 1, false));
      this.positionEmbedding =
          child("position_embedding", new EmbeddingTable(config.positions(), config.width()));
    }
  }
}
