package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.LayerNorm;
import io.cascadefarm.cascade.nn.Linear;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Scope;

/**
 * {@code CLIPTextModelWithProjection} with transformers key names: {@code text_model.embeddings.*},
 * {@code text_model.encoder.layers.<n>.*}, {@code text_model.final_layer_norm.*}, {@code
 * text_projection.weight}. Pure network; tokenization and memory handling are in {@link
 * ClipTextEncoder}.
 */
public final class ClipTextModel extends Module {
  private final ClipTextConfig config;
  private final TextTransformer textModel;
  private final Linear textProjection;

  /** Output of one forward: {@code hidden_states[-1]} (B, L, D) and the projected pooled (B, P). */
  record Output(NDArray lastHidden, NDArray projectedPooled) {}

  public ClipTextModel(ClipTextConfig config) {
    this.config = config;
    this.textModel = child("text_model", new TextTransformer(config));
    this.textProjection =
        child("text_projection", new Linear(config.width(), config.projectionDim(), false));
  }

  public ClipTextConfig config() {
    return config;
  }

  /** The bound {@code token_embedding.weight} (vocabSize, width). */
  NDArray tokenEmbeddingWeight() {
    return textModel.embeddings.tokenEmbedding().weight().array();
  }

  /**
   * {@code final_layer_norm} of the last layer's output = transformers' {@code last_hidden_state}.
   */
  NDArray finalLayerNorm(NDArray lastHidden) {
    return textModel.finalLayerNorm.forward(lastHidden);
  }

  /**
   * @param ids (B, L) token ids
   * @param attentionBias (B, 1, L, L) causal + padding bias
   * @param pooledRows (B) int64 flat row indices {@code b * L + pooledPosition(b)}
   * @param extraRows token rows replacing or extending the table
   */
  Output forward(int[][] ids, NDArray attentionBias, NDArray pooledRows, TokenRows extraRows) {
    return forward(ids, attentionBias, pooledRows, extraRows, null);
  }

  /** As above with {@code tokenOffsets} (B, L, D) added to the token embeddings (may be null). */
  Output forward(
      int[][] ids,
      NDArray attentionBias,
      NDArray pooledRows,
      TokenRows extraRows,
      NDArray tokenOffsets) {
    NDArray x =
        textModel.embeddings.forward(ids, extraRows, attentionBias.getManager(), tokenOffsets);
    NDArray last = textModel.encoder.forward(x, attentionBias);
    NDArray pooled =
        Scope.run(
            () -> {
              long b = last.getShape().get(0);
              long l = last.getShape().get(1);
              NDArray normed = textModel.finalLayerNorm.forward(last);
              NDArray rows = normed.reshape(b * l, config.width()).get(pooledRows);
              return textProjection.forward(rows);
            },
            last,
            pooledRows);
    return new Output(last, pooled);
  }

  /** {@code CLIPTextTransformer}: embeddings, encoder, final_layer_norm. */
  static final class TextTransformer extends Module {
    final ClipTextEmbeddings embeddings;
    final ClipEncoder encoder;
    final LayerNorm finalLayerNorm;

    TextTransformer(ClipTextConfig config) {
      this.embeddings = child("embeddings", new ClipTextEmbeddings(config));
      this.encoder = child("encoder", new ClipEncoder(config.towerShape()));
      this.finalLayerNorm =
          child(
              "final_layer_norm", LayerNorm.lastAxis(config.width(), true, config.layerNormEps()));
    }
  }
}
