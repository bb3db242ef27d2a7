package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.diffusion.StageSettings;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

  @Test
  void textToImageDefaultsFollowTheOfficialNotebook() {
    GenerationRequest r = GenerationRequest.textToImage("a cat");
    assertEquals(new StageSettings(20, 4.0, 2.0), r.prior());
    assertEquals(new StageSettings(10, 1.1, 1.0), r.decoder());
    assertEquals(1024, r.width());
    assertEquals("lite", r.model());
    assertEquals(1f, r.priorStartTime());
    assertTrue(r.validate().isEmpty(), r.validate().toString());
  }

  @Test
  void imageToImageRunsIntTwentyTimesStrengthStepsFromStrength() {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.IMAGE_TO_IMAGE).image(img).build();
    assertEquals(16, r.prior().steps());
    assertEquals(0.8f, r.priorStartTime());
    GenerationRequest half =
        GenerationRequest.builder(GenerationKind.IMAGE_TO_IMAGE).image(img).strength(0.5).build();
    assertEquals(10, half.prior().steps());
  }

  @Test
  void superResolutionControlNetDefaultsToCfgOne() {
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.CONTROLNET)
            .control("super_resolution", null, 1.0)
            .build();
    assertEquals(1.0, r.prior().guidance());
  }

  @Test
  void validationNamesEveryBadField() {
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.IMAGE_TO_IMAGE)
            .model("huge")
            .size(1020, 40)
            .images(0)
            .strength(1.5)
            .previewEvery(-1)
            .prior(new StageSettings(0, -1, 0))
            .build();
    List<String> fields = r.validate().stream().map(Problem::field).collect(Collectors.toList());
    assertEquals(
        List.of(
            "model",
            "width",
            "height",
            "images",
            "prior.steps",
            "prior.guidance",
            "prior.shift",
            "previewEvery",
            "image",
            "strength"),
        fields);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::requireValid);
    assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
  }

  @Test
  void inputImagesMustHaveSaneSizes() {
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.IMAGE_VARIATION)
            .image(new BufferedImage(4, 9000, BufferedImage.TYPE_INT_RGB))
            .build();
    assertEquals(
        List.of(new Problem("image", "must be 8..8192 px per side, got 4x9000")), r.validate());
  }

  @Test
  void controlNetNeedsAKnownType() {
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.CONTROLNET)
            .image(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB))
            .control("sketch", null, -1)
            .build();
    List<String> fields = r.validate().stream().map(Problem::field).collect(Collectors.toList());
    assertEquals(List.of("controlType", "controlStrength"), fields);
  }

  @Test
  void batchKeyIgnoresPromptAndSeedButNotSize() {
    GenerationRequest a = GenerationRequest.textToImage("a").withSeed(1);
    GenerationRequest b = GenerationRequest.textToImage("b").withSeed(2);
    assertEquals(a.batchKey(), b.batchKey());
    assertNotEquals(a.batchKey(), a.toBuilder().size(1024, 768).build().batchKey());
  }
}
