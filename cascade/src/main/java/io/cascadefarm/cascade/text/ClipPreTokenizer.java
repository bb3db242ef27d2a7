package io.cascadefarm.cascade.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits normalized text into the words BPE works on, with CLIP's pattern: English contractions
 * ({@code 's 't 're 've 'm 'll 'd}), runs of letters, single digits, and runs of other non-space
 * characters. Whitespace is dropped.
 */
final class ClipPreTokenizer {
  private static final Pattern WORD =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          Pattern.UNICODE_CHARACTER_CLASS | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private ClipPreTokenizer() {}

  static List<String> words(String normalizedText) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(normalizedText);
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }
}
