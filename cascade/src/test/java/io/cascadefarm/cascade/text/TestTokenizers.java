package io.cascadefarm.cascade.text;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Loads {@code clip/tokenizer/} from the test resources: 256 byte symbols, 256 {@code </w>}
 * symbols, one id per merge (512..526), then {@code <|startoftext|>} = 527 and {@code
 * <|endoftext|>} = 528 — the same construction rule as the real 49408-entry CLIP vocabulary.
 */
final class TestTokenizers {
  static final int BOS = 527;
  static final int EOS = 528;

  private TestTokenizers() {}

  static Path dir() {
    try {
      return Path.of(TestTokenizers.class.getResource("/clip/tokenizer/vocab.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ClipTokenizer small() {
    try {
      return ClipTokenizer.load(dir());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
