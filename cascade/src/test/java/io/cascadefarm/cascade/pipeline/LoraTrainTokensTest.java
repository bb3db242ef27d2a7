package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.net.clip.ClipTextConfig;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextModel;
import io.cascadefarm.cascade.net.clip.RandomWeights;
import io.cascadefarm.cascade.net.lora.LoraApplication;
import io.cascadefarm.cascade.net.lora.LoraTokens;
import io.cascadefarm.cascade.net.lora.LoraVariants;
import io.cascadefarm.cascade.net.lora.TokenDeltas;
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A LoRA's train_tokens are untrusted: the batch's LoRA applications evaluate them with RE2/J
 * (linear time) and keep the official semantics (a new token's row is the mean of the rows its
 * regex finds).
 */
class LoraTrainTokensTest {
  static NDManager root;
  static ClipTextEncoder text;

  @BeforeAll
  static void encoder() throws Exception {
    root = NDManager.newBaseManager();
    ClipTokenizer tok =
        ClipTokenizer.load(
            Path.of(LoraTrainTokensTest.class.getResource("/clip/tokenizer/vocab.json").toURI())
                .getParent());
    ClipTextConfig config = ClipTextConfig.tiny(tok.vocabSize());
    text =
        ClipTextEncoder.create(tok, config, new RandomWeights(new ClipTextModel(config), 3), root);
  }

  @AfterAll
  static void close() {
    root.close();
  }

  static Path lora(String trainTokens) throws Exception {
    Path file = Files.createTempDirectory("lora-tokens").resolve("l.safetensors");
    new SafetensorsWriter()
        .addF32("weights.0.lora_down", new long[] {1, 1}, new float[] {1})
        .addF32("weights.0.lora_up", new long[] {1, 1}, new float[] {1})
        .metadata("train_tokens", trainTokens)
        .write(file);
    return file;
  }

  private static ClipTextEncoder encoderWith(Path file) {
    List<LoraApplication> apps =
        StageCSelection.applications(List.of(new LoraRef(file.toString(), 1)), text);
    try (LoraVariants<StageC> v = new LoraVariants<>(null, () -> null, List.of(), 1, root)) {
      return v.textEncoder(text, apps);
    }
  }

  @Test
  void aBacktrackingRegexCannotHangTheTextEncoder() throws Exception {
    String a = "a".repeat(40);
    Path bomb = lora("[[\"[" + a + "]\", null], [\"[boom]\", \"(.*a){12}b\"]]");
    ClipTextEncoder e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> encoderWith(bomb));
    int id = e.tokenizer().id("[boom]").getAsInt();
    assertArrayEquals(new float[text.config().width()], e.tokenEmbedding(id), "nothing matched");
  }

  @Test
  void theOfficialSemanticsAreKept() throws Exception {
    String tokens = "[[\"[fernando]\", \"^dog</w>\"], [\"[cat]\", \"at</w>$\"]]";
    ClipTextEncoder safe = encoderWith(lora(tokens));
    ClipTextEncoder direct =
        LoraTokens.apply(
            text,
            List.of(
                new LoraTokens.Spec(
                    List.of(
                        new TrainToken("[fernando]", "^dog</w>"),
                        new TrainToken("[cat]", "at</w>$")),
                    TokenDeltas.NONE)));
    for (String t : List.of("[fernando]", "[cat]")) {
      int id = safe.tokenizer().id(t).getAsInt();
      assertArrayEquals(direct.tokenEmbedding(id), safe.tokenEmbedding(id), 0f, t);
    }
  }

  @Test
  void unboundedOrUnsupportedRegexesAreRefused() throws Exception {
    Path look = lora("[[\"[x]\", \"a(?=b)\"]]");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> encoderWith(look));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("train_tokens[0] regex"), e.getMessage());
  }
}
