package io.cascadefarm.cascade.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CLIP text normalization as in {@code CLIPTokenizerFast}: Unicode NFC, every run of (Unicode)
 * whitespace replaced by one space, lower-casing. Leading/trailing spaces are dropped later by the
 * pre-tokenizer, which ignores whitespace.
 *
 * <p>Lower-casing is per code point, as the Rust {@code tokenizers} {@code Lowercase} normalizer
 * does ({@code char::to_lowercase}, unconditional full mappings such as {@code İ -> i̇}): unlike
 * {@link String#toLowerCase}, a word-final {@code Σ} becomes {@code σ}, not the final form {@code
 * ς} (the slow, Python {@code str.lower} tokenizer gives {@code ς}).
 */
final class ClipNormalizer {
  private static final Pattern WHITESPACE_RUN =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private ClipNormalizer() {}

  static String normalize(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return lowercase(WHITESPACE_RUN.matcher(nfc).replaceAll(" "));
  }

  /** Context-free lower-casing of each code point. */
  static String lowercase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (cp < 0x80) {
        out.append((char) Character.toLowerCase(cp));
      } else {
        // a lone code point has no casing context, so String.toLowerCase applies exactly the
        // unconditional (full) mapping of that code point
        out.append(text.substring(i, next).toLowerCase(Locale.ROOT));
      }
      i = next;
    }
    return out.toString();
  }
}
