package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.model.FineTunedVariant;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.pipeline.control.TinyLoraWriter;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.worker.lora.LoraCache;
import io.cascadefarm.worker.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm.worker.precision=fp16} on the real pipeline with the tiny model: plain jobs load and
 * render the fp16 copy only; a LoRA job renders in fp16 too (merged in fp32, then cast), without
 * loading the fp32 copy; a model fine-tuned from big is routed to auto like big.
 */
class Fp16RenderTest {
  @TempDir Path dir;

  private static RenderTask task(List<LoraRef> loras, Map<String, byte[]> inputs) {
    JobParams p =
        JobParams.builder()
            .kind(JobKind.TEXT_TO_IMAGE)
            .prompt("an fp16 fox")
            .size(64, 64)
            .seed(5L)
            .images(1)
            .model("tiny")
            .prior(new StageParams(2, null, null))
            .decoder(new StageParams(2, null, null))
            .loras(loras)
            .build();
    return new RenderTask(UUID.randomUUID(), 1, JobDefaults.resolve(p, () -> 1L), inputs);
  }

  private static ModelRegistry registry() {
    return ModelRegistry.open(
        Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
  }

  @Test
  void theWorkerConfigSelectsFp16() throws Exception {
    ModelRegistry registry = registry();
    try (CascadeRenderer r = CascadeRenderer.open(registry, Precision.FP16)) {
      List<List<RenderedImage>> out = r.render(List.of(task(List.of(), Map.of())), listener());

      assertEquals(64, out.get(0).get(0).width());
      assertEquals(64, out.get(0).get(0).height());
      assertTrue(registry.isLoaded("tiny", Precision.FP16));
      assertFalse(registry.isLoaded("tiny", Precision.FP32));
    }
  }

  @Test
  void aLoraJobOnAnFp16WorkerRendersInFp16() throws Exception {
    Path lora = TinyLoraWriter.write(dir.resolve("style.safetensors"), 7);
    byte[] local = lora.toString().getBytes(StandardCharsets.UTF_8);
    ModelRegistry registry = registry();
    try (CascadeRenderer r = CascadeRenderer.open(registry, Precision.FP16)) {
      RenderTask t =
          task(List.of(new LoraRef("style", 0.8)), Map.of(LoraCache.INPUT_PREFIX + "style", local));
      List<List<RenderedImage>> out = r.render(List.of(t), listener());

      assertEquals(64, out.get(0).get(0).width());
      assertTrue(registry.isLoaded("tiny", Precision.FP16));
      assertFalse(registry.isLoaded("tiny", Precision.FP32));
      assertEquals("fp16", r.precisionOf("tiny"));
    }
  }

  @Test
  void aModelFineTunedFromBigOnAnFp16WorkerIsRoutedByItsBase() throws Exception {
    Map<String, String> bases = Map.of("acme/dogs", "big", "acme/cats", "tiny");
    ModelRegistry registry =
        registry()
            .useVariants(
                name ->
                    java.util.Optional.ofNullable(bases.get(name))
                        .map(
                            base ->
                                new FineTunedVariant(
                                    name, base, FineTunedVariant.Stage.C, dir.resolve("w"))));
    try (CascadeRenderer r = CascadeRenderer.open(registry, Precision.FP16)) {
      assertEquals("auto", r.precisionOf("acme/dogs"));
      assertEquals("auto", r.precisionOf("big"));
      assertEquals("fp16", r.precisionOf("acme/cats"));
      assertEquals("fp16", r.precisionOf("acme/unknown"), "rendering it fails on its own");
    }
  }

  @Test
  void openReadsThePrecisionKey() {
    var fp16 = Fixtures.config("farm.worker.precision", "fp16");
    assertEquals(Precision.FP16, Precision.parse("farm.worker.precision", fp16.precision()));
  }

  private static RenderListener listener() {
    return new RenderListener() {};
  }
}
