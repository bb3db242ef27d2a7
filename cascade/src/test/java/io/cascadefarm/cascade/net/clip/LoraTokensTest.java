package io.cascadefarm.cascade.net.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.net.lora.LoraFile;
import io.cascadefarm.cascade.net.lora.LoraTokens;
import io.cascadefarm.cascade.net.lora.TokenDeltas;
import io.cascadefarm.cascade.net.lora.TrainToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LoRA "ReToken" rows end to end on the tiny random text encoder (test vocabulary: dog = 522). */
class LoraTokensTest {
  private static final List<TrainToken> FERNANDO =
      List.of(new TrainToken("[fernando]", "^dog</w>"));
  private static NDManager manager;
  private static ClipTextEncoder base;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    base = TinyClip.text(manager);
  }

  @AfterAll
  static void tearDown() {
    base.close();
    manager.close();
  }

  @Test
  void newTokenStartsAsTheRegexMeanPlusTheStoredDelta() throws Exception {
    float[] delta = ramp(0.01f);
    ClipTextEncoder v = withFile(FERNANDO, new long[] {529}, delta);
    assertEquals(529, v.tokenizer().id("[fernando]").getAsInt());
    float[] dog = base.tokenEmbedding(522);
    float[] got = v.tokenEmbedding(529);
    for (int k = 0; k < 32; k++) {
      assertEquals(dog[k] + delta[k], got[k], 1e-6f);
    }
  }

  @Test
  void promptWithTheNewTokenChangesTheEmbedding() throws Exception {
    ClipTextEncoder v = withFile(FERNANDO, new long[] {529}, ramp(0.05f));
    try (NDManager out = manager.newSubManager();
        TextConditioning with = v.encode("a [fernando]", out);
        TextConditioning without = base.encode("a [fernando]", out);
        TextConditioning dog = v.encode("a dog", out)) {
      assertTrue(
          ClipTextEncoderTest.maxDiff(with.pooled().toFloatArray(), without.pooled().toFloatArray())
              > 1e-3);
      assertTrue(
          ClipTextEncoderTest.maxDiff(with.pooled().toFloatArray(), dog.pooled().toFloatArray())
              > 1e-4,
          "the delta moves it away from 'dog'");
    }
  }

  @Test
  void zeroDeltaMakesTheNewTokenBehaveLikeItsInitToken() throws Exception {
    ClipTextEncoder v = withFile(FERNANDO, new long[] {529}, new float[32]);
    try (NDManager out = manager.newSubManager();
        TextConditioning fernando = v.encode("a [fernando]", out);
        TextConditioning dog = v.encode("a dog", out)) {
      assertArrayEquals(dog.tokens().toFloatArray(), fernando.tokens().toFloatArray(), 1e-5f);
      assertArrayEquals(dog.pooled().toFloatArray(), fernando.pooled().toFloatArray(), 1e-5f);
    }
  }

  @Test
  void existingTokenRowsCanBeFineTunedAndUnconditionalIsUnchanged() throws Exception {
    ClipTextEncoder v =
        withFile(List.of(new TrainToken("^dog</w>", null)), new long[] {522}, ramp(0.1f));
    try (NDManager out = manager.newSubManager();
        TextConditioning a = v.encode("dog", out);
        TextConditioning b = base.encode("dog", out);
        TextConditioning ua = v.unconditional(1, out);
        TextConditioning ub = base.unconditional(1, out)) {
      assertTrue(
          ClipTextEncoderTest.maxDiff(a.pooled().toFloatArray(), b.pooled().toFloatArray()) > 1e-3);
      assertArrayEquals(ub.tokens().toFloatArray(), ua.tokens().toFloatArray(), 0f);
    }
  }

  @Test
  void twoLorasWithDifferentNewTokensAreRemapped() {
    float[] d1 = ramp(0.01f);
    float[] d2 = ramp(-0.02f);
    ClipTextEncoder v =
        LoraTokens.apply(
            base,
            List.of(
                new LoraTokens.Spec(
                    FERNANDO, new TokenDeltas(new long[] {529}, new float[][] {d1}, 32)),
                new LoraTokens.Spec(
                    List.of(new TrainToken("<snail>", "^(hello|world)</w>")),
                    new TokenDeltas(new long[] {529}, new float[][] {d2}, 32))));
    assertEquals(529, v.tokenizer().id("[fernando]").getAsInt());
    assertEquals(530, v.tokenizer().id("<snail>").getAsInt());
    float[] hello = base.tokenEmbedding(516);
    float[] world = base.tokenEmbedding(520);
    float[] snail = v.tokenEmbedding(530);
    for (int k = 0; k < 32; k++) {
      assertEquals((hello[k] + world[k]) / 2 + d2[k], snail[k], 1e-5f);
    }
    assertEquals(List.of(529, 530), v.tokenizer().tokenize("[fernando] <snail>"));
  }

  @Test
  void legacyArgmaxRulePoolsAtTheAddedToken() throws Exception {
    ClipTextEncoder v = withFile(FERNANDO, new long[] {529}, ramp(0.05f));
    ClipTextEncoder legacy =
        ClipTextEncoder.create(
                v.tokenizer(),
                TinyClip.textConfig().withPooledPosition(PooledPosition.ARGMAX_ID),
                TinyClip.textWeights(),
                manager)
            .withTokens(v.tokenizer(), v.tokenRows());
    try (NDManager out = manager.newSubManager();
        TextConditioning eos = v.encode("[fernando] dog", out);
        TextConditioning arg = legacy.encode("[fernando] dog", out);
        TextConditioning plainEos = v.encode("hello dog", out);
        TextConditioning plainArg = legacy.encode("hello dog", out)) {
      assertArrayEquals(eos.tokens().toFloatArray(), arg.tokens().toFloatArray(), 1e-6f);
      assertTrue(
          ClipTextEncoderTest.maxDiff(eos.pooled().toFloatArray(), arg.pooled().toFloatArray())
              > 1e-3,
          "pooled at [fernando] (id 529) instead of EOS");
      assertArrayEquals(plainEos.pooled().toFloatArray(), plainArg.pooled().toFloatArray(), 1e-6f);
    }
  }

  @Test
  void trainTokensParseFromTheConfigForm() {
    List<TrainToken> t =
        TrainToken.parseList("[[\"[fernando]\", \"^dog</w>\"], [\"^snail\", null]]");
    assertEquals(
        List.of(new TrainToken("[fernando]", "^dog</w>"), new TrainToken("^snail", null)), t);
    assertTrue(t.get(0).isNew());
    assertTrue(!t.get(1).isNew());
    assertThrows(IllegalArgumentException.class, () -> TrainToken.parseList("[[1, 2, 3]]"));
  }

  @Test
  void deltasForUndeclaredNewIdsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LoraTokens.apply(
                    base,
                    List.of(
                        new LoraTokens.Spec(
                            List.of(),
                            new TokenDeltas(new long[] {529}, new float[][] {ramp(1)}, 32)))));
    assertTrue(e.getMessage().contains("train_tokens"), e.getMessage());
  }

  @Test
  void noTokensMeansTheBaseEncoder() {
    assertSame(
        base, LoraTokens.apply(base, List.of(new LoraTokens.Spec(List.of(), TokenDeltas.NONE))));
  }

  private static ClipTextEncoder withFile(List<TrainToken> tokens, long[] ids, float[] delta)
      throws Exception {
    Path dir = Files.createTempDirectory("lora");
    Path file = dir.resolve("tokens.safetensors");
    new SafetensorsWriter()
        .addF32("embeddings.embeddings", new long[] {ids.length, 32}, delta)
        .addI64("embeddings.indices", new long[] {ids.length}, ids)
        .write(file);
    LoraFile lora = LoraFile.read(file);
    return LoraTokens.apply(base, List.of(new LoraTokens.Spec(tokens, lora.tokens())));
  }

  private static float[] ramp(float step) {
    float[] r = new float[32];
    for (int k = 0; k < 32; k++) {
      r[k] = step * (k - 16);
    }
    return r;
  }
}
