package io.cascadefarm.cascade.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal CLIP tokenizer folder for the tiny preset: the 256 byte-level symbols, each also with
 * the {@code </w>} end-of-word suffix, plus {@code <|startoftext|>} and {@code <|endoftext|>} (514
 * ids), and no merges, so every prompt tokenizes to one id per UTF-8 byte.
 */
final class TinyTokenizerFiles {
  static final int VOCAB_SIZE = 514;

  private TinyTokenizerFiles() {}

  /** Writes {@code vocab.json} and {@code merges.txt} into {@code dir} unless present. */
  static Path ensure(Path dir) throws IOException {
    Path vocab = dir.resolve("vocab.json");
    Path merges = dir.resolve("merges.txt");
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      return dir;
    }
    Files.createDirectories(dir);
    Map<String, Integer> ids = new LinkedHashMap<>();
    char[] table = byteSymbols();
    for (char c : table) {
      ids.put(String.valueOf(c), ids.size());
    }
    for (char c : table) {
      ids.put(c + "</w>", ids.size());
    }
    ids.put("<|startoftext|>", ids.size());
    ids.put("<|endoftext|>", ids.size());
    Files.writeString(merges, "#version: 0.2\n", StandardCharsets.UTF_8);
    new ObjectMapper().writeValue(vocab.toFile(), ids);
    return dir;
  }

  /** GPT-2/CLIP {@code bytes_to_unicode}: printable bytes map to themselves, others to 256+n. */
  private static char[] byteSymbols() {
    char[] out = new char[256];
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      out[b] = printable ? (char) b : (char) (256 + next++);
    }
    return out;
  }
}
