package io.cascadefarm.cascade.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CLIP text normalization as in {@code CLIPTokenizerFast}: Unicode NFC, every run of (Unicode)
 * whitespace replaced by one space, lower-casing. Leading/trailing spaces are dropped later by the
 * pre-tokenizer, which ignores whitespace.
 */
final class ClipNormalizer {
  private static final Pattern WHITESPACE_RUN =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private ClipNormalizer() {}

  static String normalize(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return WHITESPACE_RUN.matcher(nfc).replaceAll(" ").toLowerCase(Locale.ROOT);
  }
}
