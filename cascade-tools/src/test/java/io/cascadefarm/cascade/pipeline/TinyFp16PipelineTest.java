package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fp16 compute on the tiny preset: end to end, Stage C error vs fp32, big refused. */
class TinyFp16PipelineTest {
  private static final StageCConfig TINY_C = StageCConfig.tiny();
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

  @Test
  void textToImageRendersInFp16() throws Exception {
    try (CascadePipeline fp16 = new CascadePipeline(registry, false, Precision.FP16)) {
      GenerationRequest r =
          GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
              .model("tiny")
              .prompt("a tiny test")
              .size(128, 96)
              .seed(5L)
              .prior(new StageSettings(3, 4.0, 2.0))
              .decoder(new StageSettings(2, 1.1, 1.0))
              .build();
      GenerationResult res = fp16.generate(r, GenerationListener.NONE);
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(res.images().get(0).png()));
      assertEquals(128, png.getWidth());
      assertEquals(96, png.getHeight());
    }
    assertTrue(registry.isLoaded("tiny", Precision.FP16));
    assertEquals(
        DataType.FLOAT16,
        registry.get("tiny", Precision.FP16).stageCLoras().network(java.util.List.of()).dataType());
  }

  @Test
  void fp16StageCStaysNearFp32() {
    CascadeModels fp32 = registry.get("tiny", Precision.FP32);
    CascadeModels fp16 = registry.get("tiny", Precision.FP16);
    assertNotSame(fp32, fp16);
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(11);
      NDArray x = m.randomNormal(new Shape(2, 16, 6, 8));
      NDArray r = m.create(new float[] {0.3f, 0.8f});
      Map<String, NDArray> cond =
          Map.of(
              "clip_text", m.randomNormal(new Shape(2, 77, TINY_C.cClipText())),
              "clip_text_pooled", m.randomNormal(new Shape(2, 1, TINY_C.cClipTextPooled())),
              "clip_img", m.randomNormal(new Shape(2, 1, TINY_C.cClipImg())));
      double errC = relError(fp32.stageC().predict(x, r, cond), fp16.stageC().predict(x, r, cond));
      System.out.printf("tiny Stage C fp16 vs fp32: max rel error %.3e%n", errC);
      assertTrue(errC <= 5e-2, "Stage C fp16 rel error " + errC);
    }
  }

  @Test
  void fp16IsRefusedForBig() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.get("big", Precision.FP16));
    assertEquals(Precision.BIG_FP16_REFUSED, e.getMessage());
    assertTrue(e.getMessage().contains("overflows in fp16"));
  }

  private static double relError(NDArray ref, NDArray port) {
    assertEquals(DataType.FLOAT32, port.getDataType());
    return ParityComparator.relError(ref.toFloatArray(), port.toFloatArray());
  }
}
