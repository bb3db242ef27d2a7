package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code (text:weight)} syntax, its token weights and the mean-preserving emphasis. */
class PromptWeightsTest {

  @Test
  void parsesWeightedSpansAndLeavesOtherParenthesesAlone() {
    assertEquals(
        List.of(
            new PromptWeights.Span("a ", 1f),
            new PromptWeights.Span("red", 1.4f),
            new PromptWeights.Span(" fox, (young) ", 1f),
            new PromptWeights.Span("blurry", 0.5f)),
        PromptWeights.parse("a (red:1.4) fox, (young) (blurry:0.5)"));
    assertEquals(
        "a red fox, (young) blurry", PromptWeights.plain("a (red:1.4) fox, (young) (blurry:0.5)"));
    assertEquals("literal (x:2)", PromptWeights.plain("literal \\(x:2\\)"));
    assertEquals("ratio 16:9 (wide)", PromptWeights.plain("ratio 16:9 (wide)"));
    assertThrows(IllegalArgumentException.class, () -> PromptWeights.parse("(x:11)"));
  }

  @Test
  void tokenWeightsFollowTheSpans() throws Exception {
    ClipTokenizer tok =
        ClipTokenizer.load(java.nio.file.Path.of("src/test/resources/clip/tokenizer"));
    assertNull(PromptWeights.tokenWeights(tok, "a red fox"));
    float[] w = PromptWeights.tokenWeights(tok, "a (red:2) fox");
    assertEquals(tok.contextLength(), w.length);
    int a = tok.tokenize("a ").size();
    int red = tok.tokenize("red").size();
    int fox = tok.tokenize(" fox").size();
    float[] expected = new float[tok.contextLength()];
    java.util.Arrays.fill(expected, 1f);
    java.util.Arrays.fill(expected, 1 + a, 1 + a + red, 2f);
    assertArrayEquals(expected, w);
    assertEquals(
        tok.tokenize("a red fox").size(), a + red + fox, "spans tokenize as the plain prompt");
  }

  @Test
  void emphasisKeepsTheMean() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.randomNormal(new Shape(2, 5, 3)).add(0.3f);
      float[] w = {1f, 2f, 0.5f, 1f, 1f};
      NDArray out = PromptWeights.apply(z, new float[][] {null, w}, m);
      assertArrayEquals(z.get(0).toFloatArray(), out.get(0).toFloatArray());
      assertEquals(z.get(1).mean().getFloat(), out.get(1).mean().getFloat(), 1e-5);
      assertFalse(java.util.Arrays.equals(z.get(1).toFloatArray(), out.get(1).toFloatArray()));
    }
  }
}
