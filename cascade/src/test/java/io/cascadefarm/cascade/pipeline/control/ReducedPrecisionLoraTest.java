package io.cascadefarm.cascade.pipeline.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.net.lora.LoraApplication;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LoRA jobs run in the same precision as plain jobs: in fp16 and bf16 the LoRA is merged in float32
 * and the merged copy is then cast like the base; untouched weights are shared with the base (the
 * same array or the same TorchScript kernel slot), merged ones are the copy's own.
 */
class ReducedPrecisionLoraTest {
  @ParameterizedTest
  @EnumSource(
      value = Precision.class,
      names = {"FP16", "BF16"})
  void loraJobsRenderInTheReducedPrecision(Precision precision) throws Exception {
    Path lora = Files.createTempFile(Path.of("target"), "tiny-lora-" + precision.label(), ".st");
    TinyLoraWriter.write(lora, 11);
    try (ModelRegistry registry =
            ModelRegistry.open(
                Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
        CascadePipeline pipeline = new CascadePipeline(registry, false, precision)) {
      GenerationRequest plain =
          GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
              .model("tiny")
              .prompt("a lora test")
              .size(64, 64)
              .seed(3L)
              .prior(new StageSettings(2, 4.0, 2.0))
              .decoder(new StageSettings(1, 1.1, 1.0))
              .build();
      GenerationRequest styled = plain.toBuilder().lora(lora.toString(), 1.0).build();
      GenerationResult a = pipeline.generate(plain, null);
      GenerationResult b = pipeline.generate(styled, null);
      assertFalse(Arrays.equals(pixels(a), pixels(b)), "the LoRA must change the image");

      CascadeModels models = registry.get("tiny", precision);
      StageC base = models.stageCLoras().network(List.of());
      StageC merged = models.stageCLoras().network(List.of(new LoraApplication(lora, 1.0f)));
      Map<String, Parameter> bp = base.namedParameters();
      int shared = 0;
      int own = 0;
      for (Map.Entry<String, Parameter> e : merged.namedParameters().entrySet()) {
        Parameter m = e.getValue();
        Parameter o = bp.get(e.getKey());
        boolean same =
            m.isScripted()
                ? m.scripted().equals(o.scripted())
                : o.isBound() && !o.isScripted() && m.array() == o.array();
        if (same) {
          shared++;
        } else {
          own++;
          if (precision == Precision.BF16) {
            assertTrue(m.isScripted(), e.getKey() + " merged but not held in bf16");
            assertNotSame(m.scripted().kernels(), o.scripted().kernels());
          } else {
            assertEquals(DataType.FLOAT16, m.array().getDataType(), e.getKey());
          }
        }
      }
      assertTrue(own > 0 && shared > own, "own " + own + ", shared " + shared);
      if (precision == Precision.FP16) {
        assertEquals(DataType.FLOAT16, merged.dataType());
      } else {
        assertSame(DataType.FLOAT32, merged.dataType());
      }
    } finally {
      Files.deleteIfExists(lora);
    }
  }

  private static int[] pixels(GenerationResult r) {
    BufferedImage img = r.images().get(0).image();
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }
}
