package io.cascadefarm.cascade.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.net.lora.LoraFile;
import io.cascadefarm.cascade.net.lora.LoraLayout;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trained LoRA is written in the official layout and renders through the farm's LoRA loader. */
class LoraOutputRenderTest {

  @Test
  void trainedLoraWithNewTokenRenders() throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "trained-lora", ".safetensors");
    try (ModelRegistry registry =
            ModelRegistry.open(
                Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
        CascadePipeline pipeline = new CascadePipeline(registry);
        NDManager m = NDManager.newBaseManager()) {
      CascadeModels models = registry.get("tiny");
      LoraTrainer.Networks nets =
          new LoraTrainer.Networks(
              models.stageCLoras().base(), models.text(), models.image(), models.effnet());
      try (LoraTrainer t =
          LoraTrainer.create(
              nets,
              new LoraTrainer.Settings(
                  2,
                  java.util.List.of(".attn"),
                  java.util.List.of(
                      new io.cascadefarm.cascade.net.lora.TrainToken("[fernando]", "^a")),
                  5e-2,
                  0,
                  1,
                  3,
                  false),
              LoraTrainer.seededUpInit(3),
              m)) {
        LoraTrainer.Batch batch = LoraTrainerTinyTest.batch(m, 2);
        for (int i = 1; i <= 3; i++) {
          t.iterate(batch, TrainingRandomness.seeded(9, i));
        }
        LoraOutput.write(t, Map.of("farm.model", "tiny"), file);
      }
      LoraFile lora = LoraFile.read(file);
      assertEquals(LoraLayout.OFFICIAL, lora.layout());
      assertEquals(12, lora.pairs().size());
      assertEquals(1, lora.tokens().indices().length);
      assertEquals((long) models.text().tokenizer().vocabSize(), lora.tokens().indices()[0]);
      assertEquals("[[\"[fernando]\",\"^a\"]]", lora.metadata().get("train_tokens"));

      GenerationRequest plain =
          GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
              .model("tiny")
              .prompt("a photo of [fernando]")
              .size(128, 96)
              .seed(4L)
              .prior(new StageSettings(2, 4.0, 2.0))
              .decoder(new StageSettings(2, 1.1, 1.0))
              .build();
      GenerationRequest styled = plain.toBuilder().lora(file.toString(), 1.0).build();
      GenerationResult a = pipeline.generate(plain, null);
      GenerationResult b = pipeline.generate(styled, null);
      assertEquals(128, b.images().get(0).width());
      assertFalse(Arrays.equals(png(a), png(b)), "the LoRA changes the image");
      assertTrue(png(b).length > 0);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static byte[] png(GenerationResult r) {
    return r.images().get(0).png();
  }
}
