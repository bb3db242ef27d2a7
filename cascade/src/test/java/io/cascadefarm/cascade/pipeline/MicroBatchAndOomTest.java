package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.ModelRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Groups are rendered as micro-batches capped by rows (images x CFG factor) and estimated memory,
 * and a micro-batch that runs out of memory (injected: the CUDA allocator's message, on the CPU) is
 * split and retried down to single requests, with the same images as an unsplit render.
 */
class MicroBatchAndOomTest {
  private static ModelRegistry registry;

  @BeforeAll
  static void open() {
    registry =
        ModelRegistry.open(Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  private static GenerationRequest request(
      long seed, int images, double priorCfg, double decoderCfg) {
    return GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
        .model("tiny")
        .prompt("micro " + seed)
        .size(64, 64)
        .seed(seed)
        .images(images)
        .prior(new StageSettings(2, priorCfg, 2.0))
        .decoder(new StageSettings(1, decoderCfg, 1.0))
        .build();
  }

  private static List<GenerationRequest> group(int n, int images, double priorCfg) {
    List<GenerationRequest> g = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      g.add(request(100 + i, images, priorCfg, 1.0));
    }
    return g;
  }

  @Test
  void plansAreSplitByRowsWithTheCfgFactor() {
    BatchPlan guided = BatchPlan.of(group(5, 2, 4.0), () -> 1L);
    assertEquals(2, guided.cfgFactor());
    assertEquals(20, guided.sampledRows());
    // 8 rows = 2 requests of 2 images with CFG per micro-batch
    List<BatchPlan> parts = guided.split(new MicroBatchLimits(8, Long.MAX_VALUE));
    assertEquals(List.of(2, 2, 1), parts.stream().map(p -> p.requests().size()).toList());
    parts.forEach(p -> assertTrue(p.sampledRows() <= 8));
    // seeds survive the split
    assertEquals(104L, parts.get(2).seed(0));

    BatchPlan unguided = BatchPlan.of(group(5, 2, 1.0), () -> 1L);
    assertEquals(1, unguided.cfgFactor());
    assertEquals(
        List.of(4, 1),
        unguided.split(new MicroBatchLimits(8, Long.MAX_VALUE)).stream()
            .map(p -> p.requests().size())
            .toList());
    // a request bigger than the cap still renders, alone
    assertEquals(
        List.of(1, 1),
        BatchPlan.of(group(2, 6, 4.0), () -> 1L)
            .split(new MicroBatchLimits(4, Long.MAX_VALUE))
            .stream()
            .map(p -> p.requests().size())
            .toList());
  }

  @Test
  void plansAreSplitByEstimatedMemory() {
    BatchPlan plan = BatchPlan.of(group(4, 1, 4.0), () -> 1L);
    long perRequest =
        MicroBatchLimits.estimatedBytes(2, 64, 64, io.cascadefarm.cascade.model.Precision.FP32);
    List<BatchPlan> parts = plan.split(new MicroBatchLimits(100, perRequest * 3));
    assertEquals(List.of(3, 1), parts.stream().map(p -> p.requests().size()).toList());
    assertTrue(MicroBatchLimits.forDevice(ai.djl.Device.cpu()).budgetBytes() > 0);
  }

  @Test
  void outOfMemoryIsSplitAndRetriedWithIdenticalImages() {
    List<GenerationRequest> batch = group(3, 1, 4.0);
    List<GenerationResult> reference;
    try (CascadePipeline plain = new CascadePipeline(registry)) {
      plain.limits(MicroBatchLimits.unlimited());
      reference = plain.generate(batch, null);
    }
    try (CascadePipeline p = new CascadePipeline(registry)) {
      p.limits(MicroBatchLimits.unlimited());
      List<Integer> attempts = new ArrayList<>();
      p.renderProbe(
          rows -> {
            attempts.add(rows);
            if (rows > 1) {
              throw new EngineException(
                  "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total"
                      + " capacity; injected by the test)");
            }
          });
      List<GenerationResult> results = p.generate(batch, null);
      assertEquals(List.of(3, 1, 2, 1, 1), attempts);
      assertEquals(2, p.outOfMemorySplits());
      assertEquals(3, results.size());
      for (int i = 0; i < 3; i++) {
        assertEquals(reference.get(i).seed(), results.get(i).seed());
        // same pixels up to the float rounding of another batch size (TinyPipelineTest)
        TinyPipelineTest.assertSamePixels(pixels(reference.get(i)), pixels(results.get(i)));
      }
    }
  }

  private static int[] pixels(GenerationResult r) {
    java.awt.image.BufferedImage img = r.images().get(0).image();
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void aSingleRequestOutOfMemoryIsReportedAndOtherFailuresAreNotRetried() {
    try (CascadePipeline p = new CascadePipeline(registry)) {
      p.renderProbe(
          rows -> {
            throw new EngineException(
                "DefaultCPUAllocator: not enough memory: you tried to allocate");
          });
      EngineException e =
          assertThrows(EngineException.class, () -> p.generate(request(1, 1, 4.0, 1.0), null));
      assertTrue(OutOfMemory.is(e));
      assertEquals(0, p.outOfMemorySplits());
    }
    try (CascadePipeline p = new CascadePipeline(registry)) {
      List<Integer> attempts = new ArrayList<>();
      p.renderProbe(
          rows -> {
            attempts.add(rows);
            throw new IllegalStateException("not a memory problem");
          });
      assertThrows(IllegalStateException.class, () -> p.generate(group(2, 1, 4.0), null));
      assertEquals(List.of(2), attempts);
    }
  }
}
