package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Autograd;

/**
 * {@code modules/lora.py ReToken}: trained offsets (zeros at start) for the embedding rows of the
 * selected token ids; the text encoder sees {@code token_embedding[id] + delta[i]} wherever {@code
 * id == indices[i]}. Computed per batch as {@code onehot(ids, indices) @ delta}, so the gradient of
 * row i is the sum of the embedding gradients at the positions holding {@code indices[i]}.
 */
public final class ReTokenDeltas {
  private final long[] indices;
  private final Trainable delta;

  public ReTokenDeltas(long[] indices, int width, NDManager manager) {
    this.indices = indices.clone();
    this.delta =
        new Trainable(
            "embeddings.embeddings", manager.zeros(new Shape(Math.max(1, indices.length), width)));
  }

  public long[] indices() {
    return indices.clone();
  }

  public Trainable delta() {
    return delta;
  }

  public boolean isEmpty() {
    return indices.length == 0;
  }

  /** The (B, L, width) offsets for {@code ids}, or null when no token is trained. */
  public NDArray offsets(int[][] ids, NDManager manager) {
    if (indices.length == 0) {
      return null;
    }
    int b = ids.length;
    int l = ids[0].length;
    float[] onehot = new float[b * l * indices.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < l; i++) {
        for (int k = 0; k < indices.length; k++) {
          if (ids[n][i] == indices[k]) {
            onehot[(n * l + i) * indices.length + k] = 1f;
          }
        }
      }
    }
    NDArray oh = Autograd.own(manager.create(onehot, new Shape(b, l, indices.length)));
    return oh.matMul(delta.value());
  }
}
