package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Scope;

/**
 * {@code CLIPTextEmbeddings}: {@code token_embedding.weight} and {@code position_embedding.weight}.
 * (The {@code position_ids} buffer is not modelled; {@link ClipWeights} drops it when a file
 * carries it.)
 */
final class ClipTextEmbeddings extends Module {
  private final EmbeddingTable tokenEmbedding;
  private final EmbeddingTable positionEmbedding;

  ClipTextEmbeddings(ClipTextConfig config) {
    this.tokenEmbedding =
        child("token_embedding", new EmbeddingTable(config.vocabSize(), config.width()));
    this.positionEmbedding =
        child("position_embedding", new EmbeddingTable(config.maxPositions(), config.width()));
  }

  EmbeddingTable tokenEmbedding() {
    return tokenEmbedding;
  }

  /**
   * @param ids (B, L) token ids
   * @param extraRows rows replacing or extending the token table (LoRA tokens)
   * @param manager where the result lives
   */
  NDArray forward(int[][] ids, TokenRows extraRows, NDManager manager) {
    return forward(ids, extraRows, manager, null);
  }

  /** As above, with {@code offsets} (B, L, D) added to the token rows (null: none). */
  NDArray forward(int[][] ids, TokenRows extraRows, NDManager manager, NDArray offsets) {
    int l = ids[0].length;
    NDArray table = tokenEmbedding.weight().array();
    int baseRows = Math.toIntExact(table.getShape().get(0));
    NDArray gather =
        io.cascadefarm.cascade.nn.Autograd.own(
            manager.create(extraRows.gatherIds(ids, baseRows), new Shape(ids.length, l)));
    NDArray tokens = Scope.local(table.get(gather), gather);
    extraRows.patch(tokens, ids);
    if (offsets != null) {
      tokens = tokens.add(offsets);
    }
    NDArray positions = Scope.local(positionEmbedding.weight().array().get("0:" + l), gather);
    return tokens.add(positions);
  }
}
