package io.cascadefarm.cascade.net.clip;

/**
 * Which position of the final-LayerNormed sequence becomes the pooled text vector (transformers
 * {@code CLIPTextTransformer}). The two rules agree unless the prompt contains added tokens (ids
 * above {@code <|endoftext|>}).
 */
public enum PooledPosition {
  /**
   * First occurrence of the EOS id (config {@code eos_token_id} = 49407; transformers CLIPTextModel
   * pooling). Default.
   */
  FIRST_EOS,
  /**
   * Legacy rule for configs with {@code eos_token_id == 2}: position of the largest token id. With
   * LoRA tokens (id >= 49408) this pools at the added token instead of EOS.
   */
  ARGMAX_ID;

  /**
   * The pooled position of one row of ids.
   *
   * @param eosId the EOS id ({@link #FIRST_EOS})
   * @param fallback position used by {@link #FIRST_EOS} when the row has no EOS
   */
  int indexIn(int[] ids, int eosId, int fallback) {
    if (this == FIRST_EOS) {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == eosId) {
          return i;
        }
      }
      return fallback;
    }
    int best = 0;
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] > ids[best]) {
        best = i;
      }
    }
    return best;
  }
}
