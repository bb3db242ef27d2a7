package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.net.clip.ClipTextConfig;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextModel;
import io.cascadefarm.cascade.net.clip.RandomWeights;
import io.cascadefarm.cascade.net.clip.TextConditioning;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prompt to Stage C output with a LoRA that carries both weights and a new token: tiny random CLIP
 * text encoder (width 32 = the tiny Stage C's c_clip_text) and the tiny fixture Stage C.
 */
class LoraEndToEndTest {

  @Test
  void fernandoPromptThroughMergedStageC() throws Exception {
    Path lora = writeLora();
    try (NDManager root = NDManager.newBaseManager()) {
      ClipTokenizer tok =
          ClipTokenizer.load(
              Path.of(LoraEndToEndTest.class.getResource("/clip/tokenizer/vocab.json").toURI())
                  .getParent());
      ClipTextConfig textConfig = ClipTextConfig.tiny(tok.vocabSize());
      ClipTextEncoder text =
          ClipTextEncoder.create(
              tok, textConfig, new RandomWeights(new ClipTextModel(textConfig), 3), root);
      StageCConfig cConfig =
          StageCConfig.fromJson(ParityFiles.json("stage_c_lora.json").get("config").get("base"));
      StageC base = new StageC(cConfig);
      try (SafetensorsWeights w =
          SafetensorsWeights.open(ParityFiles.file("stage_c.weights.safetensors"))) {
        WeightBinder.bind(base, w, root);
      }
      try (LoraVariants<StageC> variants =
          new LoraVariants<>(
              base, () -> new StageC(cConfig), LoraTargets.OFFICIAL_FILTERS, 1, root)) {
        List<LoraApplication> apps = List.of(new LoraApplication(lora, 1f));
        StageC merged = variants.network(apps);
        ClipTextEncoder loraText = variants.textEncoder(text, apps);
        assertNotSame(text, loraText);
        assertEquals(529, loraText.tokenizer().id("[fernando]").getAsInt());
        assertEquals(List.of(529), loraText.tokenizer().tokenize("[fernando]"));
        try (NDManager m = root.newSubManager()) {
          NDArray withLora = run(merged, loraText, "a [fernando] dog", m);
          NDArray plain = run(base, text, "a [fernando] dog", m);
          NDArray weightsOnly = run(merged, text, "a [fernando] dog", m);
          assertArrayEquals(new long[] {1, 16, 6, 5}, withLora.getShape().getShape());
          assertTrue(diff(withLora, plain) > 1e-3);
          assertTrue(diff(withLora, weightsOnly) > 1e-4, "the new token changes the output");
        }
      }
    }
  }

  private static NDArray run(StageC net, ClipTextEncoder text, String prompt, NDManager m) {
    TextConditioning c = text.encode(prompt, m);
    NDArray x =
        m.randomNormal(0, 1, new Shape(1, 16, 6, 5), ai.djl.ndarray.types.DataType.FLOAT32, null);
    x = m.create(sequence(1 * 16 * 6 * 5), new Shape(1, 16, 6, 5));
    return net.forward(
        x,
        m.create(new float[] {0.4f}),
        c.tokens(),
        c.pooled(),
        m.zeros(new Shape(1, 1, 24)),
        Map.of(),
        null);
  }

  private static float[] sequence(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i * 0.37);
    }
    return v;
  }

  private static double diff(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  /** The fixture's LoRA weights plus one new-token row and its train_tokens in the metadata. */
  private static Path writeLora() throws Exception {
    Path file = Files.createTempDirectory("lora-e2e").resolve("fernando.safetensors");
    SafetensorsWriter w = new SafetensorsWriter();
    try (SafetensorsReader r =
        SafetensorsReader.open(ParityFiles.file("stage_c_lora.weights.safetensors"))) {
      for (TensorInfo t : r.tensors().values()) {
        w.addF32(t.name(), t.shape(), r.readFloats(t.name()));
      }
    }
    float[] delta = new float[32];
    for (int k = 0; k < 32; k++) {
      delta[k] = 0.3f * (float) Math.cos(k);
    }
    w.addF32("embeddings.embeddings", new long[] {1, 32}, delta)
        .addI64("embeddings.indices", new long[] {1}, new long[] {529})
        .metadata("train_tokens", "[[\"[fernando]\", \"^dog</w>\"]]")
        .write(file);
    return file;
  }
}
