package io.cascadefarm.cascade.text;

import java.util.Arrays;

/**
 * A prompt as the CLIP text encoder consumes it.
 *
 * @param ids exactly {@code contextLength} token ids: BOS, prompt tokens, EOS, then padding
 * @param attentionMask 1 for BOS..EOS, 0 for padding (same length as {@code ids})
 * @param eosIndex position of the closing EOS (the pooled-embedding position under the first-EOS
 *     rule)
 * @param truncated whether prompt tokens were dropped to fit the context
 */
public record TokenizedPrompt(int[] ids, int[] attentionMask, int eosIndex, boolean truncated) {

  /** Number of non-padding positions (BOS..EOS inclusive). */
  public int length() {
    return eosIndex + 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenizedPrompt p
        && Arrays.equals(ids, p.ids)
        && Arrays.equals(attentionMask, p.attentionMask)
        && eosIndex == p.eosIndex
        && truncated == p.truncated;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + eosIndex;
  }

  @Override
  public String toString() {
    return "TokenizedPrompt" + Arrays.toString(Arrays.copyOf(ids, length())) + "+pad";
  }
}
