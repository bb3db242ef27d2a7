package io.cascadefarm.cascade.pipeline.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.model.RandomWeights;
import io.cascadefarm.cascade.net.saliency.MicroResNet;
import io.cascadefarm.cascade.pipeline.CascadePipeline;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.cascade.pipeline.PngCodec;
import io.cascadefarm.cascade.pipeline.control.face.TinyFaceModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every control type end to end on the tiny preset (random weights: the images are noise, the test
 * checks wiring, determinism, sizes and that the control really reaches Stage C).
 */
class TinyControlPipelineTest {
  private static final int W = 64;
  private static final int H = 64;
  private static ModelRegistry registry;
  private static CascadePipeline pipeline;

  @BeforeAll
  static void open() throws Exception {
    Path cache = Path.of("target", "tiny-models-control");
    registry = ModelRegistry.open(Path.of("target", "no-checkpoints"), cache);
    pipeline = new CascadePipeline(registry);
    CascadeModels tiny = registry.get("tiny");
    Files.deleteIfExists(tiny.controlNets().file(ControlResources.SALIENCY));
    // identity: tiny ONNX stand-ins for det_10g / w600k_r50, run on ONNX Runtime
    TinyFaceModels.write(
        tiny.controlNets().file(ControlResources.SALIENCY).getParent().resolve("face"), 8);
  }

  @AfterAll
  static void close() {
    pipeline.close();
    registry.close();
  }

  static GenerationRequest request(String control, BufferedImage mask, double strength) {
    return GenerationRequest.builder(GenerationKind.CONTROLNET)
        .model("tiny")
        .prompt("a tiny control test")
        .size(W, H)
        .seed(5L)
        .prior(new StageSettings(1, 4.0, 2.0))
        .decoder(new StageSettings(1, 1.1, 1.0))
        .image(picture(90, 70))
        .control(control, mask, strength)
        .build();
  }

  static BufferedImage picture(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 90, 200));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.ORANGE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    return img;
  }

  static BufferedImage squareMask() {
    BufferedImage mask = new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = mask.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(20, 20, 40, 30);
    g.dispose();
    return mask;
  }

  static int[] pixels(GenerationResult r) {
    BufferedImage img = r.images().get(0).image();
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"canny", "inpaint", "outpaint", "super_resolution", "identity"})
  void everyControlTypeRendersDeterministicallyAndFollowsTheStrength(String control) {
    BufferedImage mask = "inpaint".equals(control) ? squareMask() : null;
    GenerationResult a = pipeline.generate(request(control, mask, 1.0), null);
    GenerationResult again = pipeline.generate(request(control, mask, 1.0), null);
    GenerationResult off = pipeline.generate(request(control, mask, 0.0), null);
    assertEquals(W, a.images().get(0).width());
    assertEquals(H, a.images().get(0).height());
    assertArrayEquals(pixels(a), pixels(again));
    assertFalse(Arrays.equals(pixels(a), pixels(off)), "control_strength 0 must differ from 1");
    assertEquals("controlnet", PngCodec.readText(a.images().get(0).png()).get("kind"));
  }

  @Test
  void controlReachesStageCInFp16() {
    try (CascadePipeline fp16 = new CascadePipeline(registry, false, Precision.FP16)) {
      GenerationResult on = fp16.generate(request("canny", null, 1.0), null);
      GenerationResult off = fp16.generate(request("canny", null, 0.0), null);
      assertEquals(W, on.images().get(0).width());
      assertFalse(Arrays.equals(pixels(on), pixels(off)), "fp16: strength 0 must differ from 1");
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.5})
  void controlRendersUnguidedAtGuidanceOneOrLess(double guidance) {
    // cfg <= 1 runs Stage C on the request rows only; the ControlNet projections must follow
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.CONTROLNET)
            .model("tiny")
            .prompt("a tiny control test")
            .size(W, H)
            .seed(5L)
            .prior(new StageSettings(1, guidance, 2.0))
            .decoder(new StageSettings(1, 1.0, 1.0))
            .image(picture(90, 70))
            .control("super_resolution", null, 1.0)
            .build();
    GenerationResult on = pipeline.generate(r, null);
    assertEquals(W, on.images().get(0).width());
  }

  @Test
  void superResolutionDefaultsToGuidanceOne() {
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.CONTROLNET)
            .control("super_resolution", null, 1)
            .build();
    assertEquals(1.0, r.prior().guidance());
    assertEquals(20, r.prior().steps());
  }

  @Test
  void batchedRequestsWithDifferentImagesMatchTheirSoloRenders() {
    GenerationRequest a = request("canny", null, 1.0);
    GenerationRequest b = a.toBuilder().image(picture(60, 90)).seed(9L).build();
    List<GenerationResult> both = pipeline.generate(List.of(a, b), null);
    int[] soloB = pixels(pipeline.generate(b, null));
    int[] batchedB = pixels(both.get(1));
    int off = 0;
    for (int i = 0; i < soloB.length; i++) {
      off += soloB[i] != batchedB[i] ? 1 : 0;
    }
    assertTrue(off < soloB.length / 100, "pixels differing batched vs alone: " + off);
  }

  @Test
  void inpaintWithoutMaskUsesTheSaliencyModelOnlyWhenInstalled() throws Exception {
    CascadeModels tiny = registry.get("tiny");
    Path file = tiny.controlNets().file(ControlResources.SALIENCY);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pipeline.generate(request("inpaint", null, 1.0), null));
    assertTrue(e.getMessage().startsWith("mask:"), e.getMessage());
    try {
      RandomWeights.ensure(new MicroResNet(), "saliency-test", file);
      GenerationResult r = pipeline.generate(request("inpaint", null, 1.0), null);
      assertEquals(W, r.images().get(0).width());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void controlNetWithLoraRenders() throws Exception {
    Path lora = Files.createTempFile(Path.of("target"), "tiny-lora-control", ".safetensors");
    TinyLoraWriter.write(lora, 4);
    GenerationRequest plain = request("canny", null, 1.0);
    GenerationRequest styled = plain.toBuilder().lora(lora.toString(), 1.0).build();
    assertFalse(
        Arrays.equals(
            pixels(pipeline.generate(plain, null)), pixels(pipeline.generate(styled, null))));
  }

  @Test
  void unknownControlAndMisplacedMaskAreNamed() {
    GenerationRequest bad = request("sketch", null, 1.0);
    assertTrue(bad.validate().toString().contains("controlType"), bad.validate().toString());
    GenerationRequest mask = request("canny", squareMask(), 1.0);
    assertTrue(mask.validate().toString().contains("mask"), mask.validate().toString());
  }
}
