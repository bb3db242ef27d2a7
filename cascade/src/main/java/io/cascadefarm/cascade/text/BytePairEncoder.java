package io.cascadefarm.cascade.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BPE over byte-level symbols with CLIP's {@code </w>} end-of-word suffix: the last symbol of a
 * word carries the suffix; the adjacent pair with the lowest merge rank is merged (all its
 * non-overlapping occurrences, left to right) until no ranked pair remains.
 */
final class BytePairEncoder {
  static final String END_OF_WORD = "</w>";
  private static final int CACHE_LIMIT = 50_000;

  private final Map<String, Integer> ranks;
  private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

  /**
   * @param ranks merge rank by pair key {@code left + " " + right} (0 = merged first)
   */
  BytePairEncoder(Map<String, Integer> ranks) {
    this.ranks = Map.copyOf(ranks);
  }

  int mergeCount() {
    return ranks.size();
  }

  /** Splits one byte-level word (no whitespace) into vocabulary symbols. */
  List<String> encodeWord(String word) {
    List<String> cached = cache.get(word);
    if (cached != null) {
      return cached;
    }
    List<String> symbols = merge(initialSymbols(word));
    if (cache.size() > CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(word, symbols);
    return symbols;
  }

  private static List<String> initialSymbols(String word) {
    List<String> symbols = new ArrayList<>(word.length());
    for (int i = 0; i < word.length(); ) {
      int end = i + Character.charCount(word.codePointAt(i));
      symbols.add(word.substring(i, end));
      i = end;
    }
    int last = symbols.size() - 1;
    symbols.set(last, symbols.get(last) + END_OF_WORD);
    return symbols;
  }

  private List<String> merge(List<String> symbols) {
    while (symbols.size() > 1) {
      String bestLeft = null;
      String bestRight = null;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          bestLeft = symbols.get(i);
          bestRight = symbols.get(i + 1);
        }
      }
      if (bestLeft == null) {
        break;
      }
      symbols = mergePair(symbols, bestLeft, bestRight);
    }
    return List.copyOf(symbols);
  }

  private static List<String> mergePair(List<String> symbols, String left, String right) {
    List<String> out = new ArrayList<>(symbols.size());
    for (int i = 0; i < symbols.size(); i++) {
      if (i + 1 < symbols.size()
          && symbols.get(i).equals(left)
          && symbols.get(i + 1).equals(right)) {
        out.add(left + right);
        i++;
      } else {
        out.add(symbols.get(i));
      }
    }
    return out;
  }
}
