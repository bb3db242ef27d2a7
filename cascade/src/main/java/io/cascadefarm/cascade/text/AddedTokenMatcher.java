package io.cascadefarm.cascade.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens (special tokens and tokens added for LoRAs) in normalized text before BPE:
 * scanning left to right, the longest added token starting at a position wins; the text between
 * matches is returned as plain segments.
 */
final class AddedTokenMatcher {
  /** One piece of the text: either an added token (with its id) or a plain segment (id -1). */
  record Piece(String text, int addedId) {
    boolean isAdded() {
      return addedId >= 0;
    }
  }

  private final List<Map.Entry<String, Integer>> tokensLongestFirst;

  AddedTokenMatcher(Map<String, Integer> addedTokens) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(addedTokens.entrySet());
    sorted.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> -e.getKey().length()));
    this.tokensLongestFirst = List.copyOf(sorted);
  }

  List<Piece> split(String text) {
    List<Piece> pieces = new ArrayList<>();
    int plainStart = 0;
    int i = 0;
    while (i < text.length()) {
      Map.Entry<String, Integer> hit = matchAt(text, i);
      if (hit == null) {
        i++;
        continue;
      }
      if (i > plainStart) {
        pieces.add(new Piece(text.substring(plainStart, i), -1));
      }
      pieces.add(new Piece(hit.getKey(), hit.getValue()));
      i += hit.getKey().length();
      plainStart = i;
    }
    if (plainStart < text.length()) {
      pieces.add(new Piece(text.substring(plainStart), -1));
    }
    return pieces;
  }

  private Map.Entry<String, Integer> matchAt(String text, int pos) {
    for (Map.Entry<String, Integer> token : tokensLongestFirst) {
      if (text.startsWith(token.getKey(), pos)) {
        return token;
      }
    }
    return null;
  }
}
