package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Merged Stage C copies from the cache, on the tiny fixture model. */
class LoraVariantsTest {
  private static final Path LORA = ParityFiles.file("stage_c_lora.weights.safetensors");
  private static NDManager manager;
  private static StageCConfig config;
  private static StageC base;
  private static LoraVariants<StageC> variants;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    config = StageCConfig.fromJson(ParityFiles.json("stage_c_lora.json").get("config").get("base"));
    base = new StageC(config);
    try (SafetensorsWeights w =
        SafetensorsWeights.open(ParityFiles.file("stage_c.weights.safetensors"))) {
      WeightBinder.bind(base, w, manager);
    }
    variants =
        new LoraVariants<>(
            base, () -> new StageC(config), LoraTargets.OFFICIAL_FILTERS, 2, manager);
  }

  @AfterAll
  static void tearDown() {
    variants.close();
    manager.close();
  }

  @Test
  void mergedCopyReproducesTheFixtureAndSharesUntouchedTensors() throws Exception {
    StageC merged = variants.network(List.of(new LoraApplication(LORA, 1f)));
    assertNotSame(base, merged);
    assertSame(merged, variants.network(List.of(new LoraApplication(LORA, 1f))));
    try (NDManager m = manager.newSubManager();
        SafetensorsReader io =
            SafetensorsReader.open(ParityFiles.file("stage_c_lora.io.safetensors"))) {
      float[] want = io.readFloats("cfg.out");
      float[] got = forward(merged, io, m).toFloatArray();
      assertTrue(LoraMergedWeightsTest.relErr(want, got) < 1e-4);
      float[] plain = forward(base, io, m).toFloatArray();
      assertTrue(LoraMergedWeightsTest.relErr(want, plain) > 1e-3, "the base differs");
    }
    String untouched = "down_blocks.0.0.channelwise.0.weight";
    String merged0 = "down_blocks.0.2.attention.attn.in_proj_weight";
    var mp = merged.namedParameters();
    var bp = base.namedParameters();
    assertSame(bp.get(untouched).array(), mp.get(untouched).array());
    assertNotSame(bp.get(merged0).array(), mp.get(merged0).array());
  }

  @Test
  void zeroStrengthEqualsTheBaseAndCapacityIsBounded() throws Exception {
    StageC zero = variants.network(List.of(new LoraApplication(LORA, 0f)));
    try (NDManager m = manager.newSubManager();
        SafetensorsReader io =
            SafetensorsReader.open(ParityFiles.file("stage_c_lora.io.safetensors"))) {
      float[] a = forward(zero, io, m).toFloatArray();
      float[] b = forward(base, io, m).toFloatArray();
      assertEquals(0.0, LoraMergedWeightsTest.relErr(b, a), 1e-7);
    }
    variants.network(List.of(new LoraApplication(LORA, 0.5f)));
    variants.network(List.of(new LoraApplication(LORA, 0.7f)));
    assertEquals(2, variants.size());
    assertSame(base, variants.network(List.of()));
  }

  private static NDArray forward(StageC net, SafetensorsReader io, NDManager m) {
    return net.forward(
        io.load(m, "cfg.x"),
        io.load(m, "cfg.r"),
        io.load(m, "cfg.clip_text"),
        io.load(m, "cfg.clip_text_pooled"),
        io.load(m, "cfg.clip_img"),
        Map.of(),
        null);
  }
}
