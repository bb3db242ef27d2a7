package io.cascadefarm.cascade.net.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.text.TokenizedPrompt;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipTextEncoderTest {
  private static NDManager manager;
  private static ClipTextEncoder encoder;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    encoder = TinyClip.text(manager);
  }

  @AfterAll
  static void tearDown() {
    encoder.close();
    manager.close();
  }

  @Test
  void shapesAreTokensAndPooled() {
    try (NDManager out = manager.newSubManager();
        TextConditioning c = encoder.encode(List.of("hello world", "dog", ""), out)) {
      assertArrayEquals(new long[] {3, 77, 32}, c.tokens().getShape().getShape());
      assertArrayEquals(new long[] {3, 1, 32}, c.pooled().getShape().getShape());
    }
  }

  @Test
  void matchesThePlainJavaReference() {
    RandomWeights weights = TinyClip.textWeights();
    ReferenceClip ref = new ReferenceClip(weights::values);
    List<String> prompts = List.of("hello world dog's café", "");
    try (NDManager out = manager.newSubManager();
        TextConditioning c = encoder.encode(prompts, out)) {
      float[] tokens = c.tokens().toFloatArray();
      float[] pooled = c.pooled().toFloatArray();
      for (int b = 0; b < prompts.size(); b++) {
        TokenizedPrompt p = encoder.tokenizer().encode(prompts.get(b));
        double[][][] r = ref.text(TinyClip.textConfig(), p.ids(), p.attentionMask(), p.eosIndex());
        for (int i = 0; i < 77; i++) {
          for (int k = 0; k < 32; k++) {
            assertEquals(r[0][i][k], tokens[(b * 77 + i) * 32 + k], 2e-4, "token " + b + "," + i);
          }
        }
        for (int k = 0; k < 32; k++) {
          assertEquals(r[1][0][k], pooled[b * 32 + k], 2e-4, "pooled " + b);
        }
      }
    }
  }

  @Test
  void causalMaskMakesPrefixesIndependentOfLaterTokens() {
    try (NDManager out = manager.newSubManager();
        TextConditioning a = encoder.encode("hello world", out);
        TextConditioning b = encoder.encode("hello dog", out)) {
      float[] ta = a.tokens().get("0, 0:2, :").toFloatArray();
      float[] tb = b.tokens().get("0, 0:2, :").toFloatArray();
      assertArrayEquals(ta, tb, 1e-5f);
      float[] la = a.tokens().get("0, 2, :").toFloatArray();
      float[] lb = b.tokens().get("0, 2, :").toFloatArray();
      assertTrue(maxDiff(la, lb) > 1e-3, "position 2 sees a different token");
    }
  }

  @Test
  void batchRowsAreIndependent() {
    try (NDManager out = manager.newSubManager();
        TextConditioning both = encoder.encode(List.of("hello", "world dog"), out);
        TextConditioning one = encoder.encode("world dog", out)) {
      assertArrayEquals(
          one.tokens().toFloatArray(), both.tokens().get("1:2").toFloatArray(), 1e-5f);
      assertArrayEquals(
          one.pooled().toFloatArray(), both.pooled().get("1:2").toFloatArray(), 1e-5f);
    }
  }

  @Test
  void unconditionalIsTheCachedEmptyPrompt() {
    try (NDManager out = manager.newSubManager();
        TextConditioning u = encoder.unconditional(2, out);
        TextConditioning e = encoder.encode(List.of("", ""), out)) {
      assertArrayEquals(new long[] {2, 77, 32}, u.tokens().getShape().getShape());
      assertArrayEquals(e.tokens().toFloatArray(), u.tokens().toFloatArray(), 1e-6f);
      assertArrayEquals(e.pooled().toFloatArray(), u.pooled().toFloatArray(), 1e-6f);
    }
  }

  @Test
  void emptyBatchIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of(), manager));
  }

  static float maxDiff(float[] a, float[] b) {
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
