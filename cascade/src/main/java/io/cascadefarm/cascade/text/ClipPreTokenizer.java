package io.cascadefarm.cascade.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits normalized text into the words BPE works on, with CLIP's pattern: English contractions
 * ({@code 's 't 're 've 'm 'll 'd}), runs of letters, single digits, and runs of other non-space
 * characters. Whitespace is dropped.
 *
 * <p>Case-sensitive, as the {@code Split} pre-tokenizer of {@code CLIPTokenizerFast}: the text is
 * already lower-cased, and a case-insensitive match (OpenAI's {@code re.IGNORECASE}) would also
 * take {@code 'ſ} (long s, which folds to {@code s} but does not lower-case to it) as a
 * contraction.
 */
final class ClipPreTokenizer {
  private static final Pattern WORD =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          Pattern.UNICODE_CHARACTER_CLASS);

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
