package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.text.TokenizedPrompt;
import java.util.List;

/**
 * Additive attention bias of the text tower, (B, 1, L, L): query i may attend key j iff {@code j <=
 * i} (causal) and key j is not padding (the HF attention mask). Padding queries still get outputs
 * (they attend to BOS..EOS), as Stage C consumes all 77 positions.
 */
final class TextAttentionBias {
  /** Large negative instead of -inf: same softmax, no NaN if a row were ever fully masked. */
  static final float MASKED = -1e30f;

  private TextAttentionBias() {}

  static NDArray build(List<TokenizedPrompt> prompts, NDManager manager) {
    int b = prompts.size();
    int l = prompts.get(0).ids().length;
    float[] bias = new float[b * l * l];
    for (int n = 0; n < b; n++) {
      int[] mask = prompts.get(n).attentionMask();
      for (int i = 0; i < l; i++) {
        for (int j = 0; j < l; j++) {
          boolean visible = j <= i && mask[j] != 0;
          bias[(n * l + i) * l + j] = visible ? 0f : MASKED;
        }
      }
    }
    return io.cascadefarm.cascade.nn.Autograd.own(manager.create(bias, new Shape(b, 1, l, l)));
  }
}
