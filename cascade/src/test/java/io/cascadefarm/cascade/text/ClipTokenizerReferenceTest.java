package io.cascadefarm.cascade.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The port's tokenizer against token ids computed by an independent implementation: Hugging Face's
 * Rust {@code tokenizers} (the backend of {@code CLIPTokenizerFast}, which Stable Cascade uses), on
 * a real CLIP vocabulary cut to its first 8000 merges. The fixture and how it was made: {@code
 * tools/clip-ref/README.md}.
 */
class ClipTokenizerReferenceTest {
  private static final String DIR = "/clip/reference/";

  private static ClipTokenizer tokenizer;
  private static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    Path vocab =
        Path.of(ClipTokenizerReferenceTest.class.getResource(DIR + "tokenizer/vocab.json").toURI());
    tokenizer = ClipTokenizer.load(vocab.getParent());
    try (InputStream in =
        ClipTokenizerReferenceTest.class.getResourceAsStream(DIR + "tokenizer_cases.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void vocabularyIsTheRealClipPrefix() {
    // 256 bytes + 256 bytes</w> + 8000 merges + the two special tokens
    assertEquals(8514, tokenizer.vocabSize());
    assertEquals(8512, tokenizer.bosId());
    assertEquals(8513, tokenizer.eosId());
    assertEquals(fixture.get("pad_id").asInt(), tokenizer.padId());
    assertEquals(fixture.get("context_length").asInt(), tokenizer.contextLength());
    // real CLIP ids: "a</w>" = 320, "photo</w>" = 1125, "cat</w>" = 2368
    assertEquals(List.of(320, 1125, 539, 320, 2368), tokenizer.tokenize("a photo of a cat"));
  }

  @Test
  void idsMatchTheFastTokenizer() {
    int context = fixture.get("context_length").asInt();
    int pad = fixture.get("pad_id").asInt();
    List<String> failures = new ArrayList<>();
    int cases = 0;
    int mismatches = 0;
    for (JsonNode c : fixture.get("cases")) {
      cases++;
      String prompt = c.get("prompt").asText();
      int[] expected = new int[context];
      int n = c.get("ids").size();
      Arrays.fill(expected, pad);
      for (int i = 0; i < n; i++) {
        expected[i] = c.get("ids").get(i).asInt();
      }
      int[] expectedMask = new int[context];
      Arrays.fill(expectedMask, 0, n, 1);
      TokenizedPrompt p = tokenizer.encode(prompt);
      if (!Arrays.equals(expected, p.ids()) || !Arrays.equals(expectedMask, p.attentionMask())) {
        mismatches++;
        if (failures.size() >= 30) {
          continue;
        }
        failures.add(
            c.get("category").asText()
                + " "
                + escape(prompt)
                + "\n    reference "
                + Arrays.toString(Arrays.copyOf(expected, n))
                + "\n    port      "
                + Arrays.toString(Arrays.copyOf(p.ids(), p.length()))
                + (p.length() == n ? "" : " (length " + p.length() + " vs " + n + ")"));
      }
    }
    assertTrue(cases > 300, "fixture has " + cases + " cases");
    if (!failures.isEmpty()) {
      fail(
          mismatches
              + " of "
              + cases
              + " prompts tokenize differently from the reference (HF tokenizers, "
              + "CLIPTokenizerFast):\n  "
              + String.join("\n  ", failures)
              + (mismatches > failures.size() ? "\n  ..." : ""));
    }
  }

  /** Java-style escapes for anything outside printable ASCII, so the message shows the input. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') {
                b.appendCodePoint(cp);
              } else if (cp < 0x10000) {
                b.append(String.format("\\u%04x", cp));
              } else {
                b.append(String.format("\\U%08x", cp));
              }
            });
    return b.append('"').toString();
  }
}
