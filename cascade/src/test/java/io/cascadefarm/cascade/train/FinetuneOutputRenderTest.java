package io.cascadefarm.cascade.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.FineTunedVariant;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A fine-tuned Stage C and Stage B are written with exactly the keys and shapes of the network (the
 * official layout, checked against the official manifests by {@code StageKeyListingTest}), load as
 * fine-tuned models {@code <owner>/<name>} on top of their base (sharing its encoders) and render;
 * a file without every key is refused.
 */
class FinetuneOutputRenderTest {

  static Path train(CascadeModels base, FinetuneTrainer.Stage stage, NDManager m, String name)
      throws Exception {
    Path file = Files.createTempFile(Path.of("target"), name, ".safetensors");
    CascadeModels.Networks nets = base.networks();
    FinetuneTrainer.Networks n =
        new FinetuneTrainer.Networks(
            stage == FinetuneTrainer.Stage.C ? nets.stageC() : nets.stageB(),
            base.text(),
            base.image(),
            base.effnet(),
            nets.stageA());
    try (FinetuneTrainer t =
        FinetuneTrainer.create(
            n,
            new FinetuneTrainer.Settings(
                stage, 5e-2, 0, 1, 2, stage == FinetuneTrainer.Stage.B, null),
            m)) {
      LoraTrainer.Batch b = LoraTrainerTinyTest.batch(m, 2);
      for (int i = 1; i <= 2; i++) {
        t.iterate(
            new FinetuneTrainer.Batch(b.images(), b.captions()),
            stage == FinetuneTrainer.Stage.C
                ? TrainingRandomness.seeded(9, i)
                : FinetuneTrainer.StageBRandomness.seeded(9, i));
      }
      FinetuneOutput.write(t, Map.of("farm.model", "tiny"), file);
    }
    return file;
  }

  static Map<String, String> shapes(Module net) {
    Map<String, String> out = new TreeMap<>();
    net.namedParameters().forEach((k, p) -> out.put(k, Arrays.toString(p.shape())));
    return out;
  }

  static Map<String, String> shapes(Path file) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      r.tensors().forEach((k, info) -> out.put(k, Arrays.toString(info.shape())));
    }
    return out;
  }

  @Test
  void fineTunedStagesLoadAsModelsAndRender() throws Exception {
    Map<String, FineTunedVariant> variants = new HashMap<>();
    Path c = null;
    Path b = null;
    try (ModelRegistry registry =
            ModelRegistry.open(
                Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
        CascadePipeline pipeline = new CascadePipeline(registry);
        NDManager m = NDManager.newBaseManager()) {
      registry.useVariants(name -> Optional.ofNullable(variants.get(name)));
      CascadeModels tiny = registry.get("tiny");
      c = train(tiny, FinetuneTrainer.Stage.C, m, "ft-c");
      b = train(tiny, FinetuneTrainer.Stage.B, m, "ft-b");
      assertEquals(shapes(tiny.networks().stageC()), shapes(c));
      assertEquals(shapes(tiny.networks().stageB()), shapes(b));
      variants.put("o/c", new FineTunedVariant("o/c", "tiny", FineTunedVariant.Stage.C, c));
      variants.put("o/b", new FineTunedVariant("o/b", "tiny", FineTunedVariant.Stage.B, b));

      CascadeModels fc = registry.get("o/c");
      assertSame(tiny.text(), fc.text(), "encoders are the base's");
      assertSame(tiny.stageB(), fc.stageB(), "the other stage is the base's");
      try (SafetensorsReader r = SafetensorsReader.open(c)) {
        String key = r.tensors().keySet().iterator().next();
        assertArrayEquals(
            r.readFloats(key),
            fc.networks().stageC().namedParameters().get(key).array().toFloatArray(),
            "the model holds the file's weights");
      }
      CascadeModels fb = registry.get("o/b");
      assertSame(tiny.stageC(), fb.stageC());

      GenerationRequest plain =
          GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
              .model("tiny")
              .prompt("a photo of a dog")
              .size(128, 96)
              .seed(4L)
              .prior(new StageSettings(2, 4.0, 2.0))
              .decoder(new StageSettings(2, 1.1, 1.0))
              .build();
      byte[] base = png(pipeline.generate(plain, null));
      byte[] withC = png(pipeline.generate(plain.toBuilder().model("o/c").build(), null));
      byte[] withB = png(pipeline.generate(plain.toBuilder().model("o/b").build(), null));
      assertFalse(Arrays.equals(base, withC), "the fine-tuned Stage C changes the image");
      assertFalse(Arrays.equals(base, withB), "the fine-tuned Stage B changes the image");

      Path partial = Files.createTempFile(Path.of("target"), "ft-partial", ".safetensors");
      try {
        new SafetensorsWriter()
            .addF32("clf.1.weight", new long[] {1}, new float[] {0})
            .write(partial);
        variants.put(
            "o/bad", new FineTunedVariant("o/bad", "tiny", FineTunedVariant.Stage.C, partial));
        assertThrows(RuntimeException.class, () -> registry.get("o/bad"));
        assertThrows(IllegalArgumentException.class, () -> registry.get("o/unknown"));
      } finally {
        Files.deleteIfExists(partial);
      }
    } finally {
      if (c != null) {
        Files.deleteIfExists(c);
      }
      if (b != null) {
        Files.deleteIfExists(b);
      }
    }
  }

  static byte[] png(GenerationResult r) {
    return LoraOutputRenderTest.png(r);
  }
}
