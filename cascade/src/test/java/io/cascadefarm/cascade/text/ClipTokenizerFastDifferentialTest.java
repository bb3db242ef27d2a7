package io.cascadefarm.cascade.text;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random strings tokenized by the port and by Hugging Face's Rust {@code tokenizers} (DJL's
 * binding, already a dependency), configured as transformers' {@code CLIPConverter} builds CLIP's
 * {@code tokenizer.json}, over the reference vocabulary (real CLIP, first 8000 merges).
 *
 * <p>The alphabet is drawn from Unicode blocks that were complete by Unicode 9: for characters
 * assigned later, the JDK's Unicode tables (Unicode 13 on Java 17), the regex tables of {@code
 * tokenizers} and its NFC tables (an older Unicode) disagree on letter classes and canonical
 * ordering, which no port could match (tools/clip-ref/README.md).
 */
class ClipTokenizerFastDifferentialTest {
  private static final int CASES = 4000;

  /** Inclusive code point ranges of the alphabet. */
  private static final int[][] BLOCKS = {
    {0x20, 0x7e}, {0x20, 0x7e}, {0x20, 0x7e}, // ASCII, weighted
    {0x09, 0x0d}, {0x1c, 0x1f}, {0x80, 0xff}, // controls, separators, Latin-1
    {0x100, 0x24f}, {0x250, 0x2ff}, {0x300, 0x36f}, // Latin Extended, IPA, combining marks
    {0x370, 0x3ff}, {0x400, 0x4ff}, {0x530, 0x58f}, // Greek, Cyrillic, Armenian
    {0x590, 0x5ff}, {0x600, 0x6ff}, {0x900, 0x97f}, // Hebrew, Arabic, Devanagari
    {0xe00, 0xe7f}, {0x10a0, 0x10ff}, {0x1100, 0x11ff}, // Thai, Georgian, Hangul Jamo
    {0x1e00, 0x1fff}, {0x2000, 0x206f}, {0x2070, 0x209f}, // Latin/Greek ext., punctuation
    {0x20a0, 0x20bf}, {0x2100, 0x218f}, {0x2190, 0x22ff}, // currency, letterlike, arrows, math
    {0x2460, 0x24ff}, {0x2600, 0x27bf}, {0x3000, 0x30ff}, // enclosed, symbols, CJK punct, kana
    {0x4e00, 0x9fa5}, {0xac00, 0xd7a3}, {0xfb00, 0xfb06}, // CJK, Hangul, Latin ligatures
    {0xfe00, 0xfe0f}, {0xff00, 0xffef}, {0x1d400, 0x1d7ff}, // selectors, fullwidth, math alnum
    {0x1f300, 0x1f64f}, {0x1f1e6, 0x1f1ff}, // emoji, regional indicators
  };

  private static final String[] PIECES = {
    "'s",
    "'t",
    "'re",
    "'ve",
    "'m",
    "'ll",
    "'d",
    "'S",
    "<|endoftext|>",
    "<|startoftext|>",
    "\u200d",
    "\ufe0f",
    "  ",
    "\u00a0",
    "\u3000",
    "\n",
    "a",
    "the",
    "photo",
    "1",
    "42"
  };

  @Test
  void randomStringsTokenizeAsTheFastTokenizer() throws Exception {
    Path dir =
        Path.of(getClass().getResource("/clip/reference/tokenizer/vocab.json").toURI()).getParent();
    ClipTokenizer port = ClipTokenizer.load(dir);
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "padding", "max_length",
            "maxLength", "77");
    byte[] json = fastTokenizerJson(dir);
    Random rng = new Random(20240611);
    List<String> failures = new ArrayList<>();
    int mismatches = 0;
    try (HuggingFaceTokenizer hf =
        HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options)) {
      for (int t = 0; t < CASES; t++) {
        String s = randomString(rng);
        Encoding e = hf.encode(s);
        long[] expected = e.getIds();
        int[] ids = port.encode(s).ids();
        long[] actual = Arrays.stream(ids).asLongStream().toArray();
        if (!Arrays.equals(expected, actual)) {
          mismatches++;
          if (failures.size() < 20) {
            failures.add(
                ClipTokenizerReferenceTest.escape(s)
                    + "\n    hf   "
                    + Arrays.toString(expected)
                    + "\n    port "
                    + Arrays.toString(actual));
          }
        }
      }
    }
    if (mismatches > 0) {
      fail(
          mismatches
              + " of "
              + CASES
              + " random strings tokenize differently from HF tokenizers:\n  "
              + String.join("\n  ", failures));
    }
  }

  private static String randomString(Random rng) {
    StringBuilder b = new StringBuilder();
    int n = 1 + rng.nextInt(30);
    while (b.length() < n) {
      if (rng.nextInt(8) == 0) {
        b.append(PIECES[rng.nextInt(PIECES.length)]);
        continue;
      }
      int[] block = BLOCKS[rng.nextInt(BLOCKS.length)];
      int cp = block[0] + rng.nextInt(block[1] - block[0] + 1);
      if (Character.isDefined(cp) && Character.getType(cp) != Character.SURROGATE) {
        b.appendCodePoint(cp);
      }
    }
    return b.toString();
  }

  /** tokenizer.json as transformers' CLIPConverter (convert_slow_tokenizer.py) writes it. */
  static byte[] fastTokenizerJson(Path dir) throws Exception {
    ObjectMapper om = new ObjectMapper();
    ObjectNode vocab = (ObjectNode) om.readTree(dir.resolve("vocab.json").toFile());
    ArrayNode merges = om.createArrayNode();
    for (String line : Files.readAllLines(dir.resolve("merges.txt"))) {
      if (!line.startsWith("#version") && !line.isBlank()) {
        merges.add(line);
      }
    }
    int bos = vocab.get("<|startoftext|>").asInt();
    int eos = vocab.get("<|endoftext|>").asInt();
    String config =
        """
        {"version": "1.0", "truncation": null,
         "padding": {"strategy": {"Fixed": 77}, "direction": "Right", "pad_to_multiple_of": null,
                     "pad_id": EOS, "pad_type_id": 0, "pad_token": "<|endoftext|>"},
         "added_tokens": [
           {"id": BOS, "content": "<|startoftext|>", "single_word": false, "lstrip": false,
            "rstrip": false, "normalized": true, "special": true},
           {"id": EOS, "content": "<|endoftext|>", "single_word": false, "lstrip": false,
            "rstrip": false, "normalized": true, "special": true}],
         "normalizer": {"type": "Sequence", "normalizers": [
           {"type": "NFC"},
           {"type": "Replace", "pattern": {"Regex": "\\\\s+"}, "content": " "},
           {"type": "Lowercase"}]},
         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
           {"type": "Split", "pattern": {"Regex":
             "'s|'t|'re|'ve|'m|'ll|'d|[\\\\p{L}]+|[\\\\p{N}]|[^\\\\s\\\\p{L}\\\\p{N}]+"},
            "behavior": "Removed", "invert": true},
           {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
            "use_regex": true}]},
         "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", EOS],
           "cls": ["<|startoftext|>", BOS], "trim_offsets": false, "add_prefix_space": false},
         "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true,
                     "use_regex": true},
         "model": {"type": "BPE", "dropout": null, "unk_token": "<|endoftext|>",
           "continuing_subword_prefix": "", "end_of_word_suffix": "</w>", "fuse_unk": false,
           "byte_fallback": false, "ignore_merges": false}}
        """
            .replace("BOS", Integer.toString(bos))
            .replace("EOS", Integer.toString(eos));
    ObjectNode root = (ObjectNode) om.readTree(config);
    ObjectNode model = (ObjectNode) root.get("model");
    model.set("vocab", vocab);
    model.set("merges", merges);
    return om.writeValueAsBytes(root);
  }
}
