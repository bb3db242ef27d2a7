package io.cascadefarm.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobDefaultsTest {

  @Test
  void textToImageGetsSpecDefaults() {
    JobParams p = JobDefaults.resolve(JobParams.textToImage("a cat"), () -> 42L);
    assertEquals(new StageParams(20, 4.0, 2.0), p.prior());
    assertEquals(new StageParams(10, 1.1, 1.0), p.decoder());
    assertEquals(1024, p.width());
    assertEquals(42L, p.seed());
    assertEquals("lite", p.model());
  }

  @Test
  void imageToImageSamplesSixteenStepsAtDefaultStrength() {
    JobParams raw =
        JobParams.builder()
            .kind(JobKind.IMAGE_TO_IMAGE)
            .prompt("x")
            .seed(7L)
            .model("tiny")
            .image("uploads/a.png")
            .build();
    JobParams p = JobDefaults.resolve(raw, () -> 1L);
    assertEquals(16, p.prior().steps());
    assertEquals(0.8, p.strength());
    assertEquals(7L, p.seed());
  }

  @Test
  void explicitValuesWin() {
    JobParams raw =
        JobParams.builder()
            .kind(JobKind.TEXT_TO_IMAGE)
            .prompt("x")
            .size(256, 128)
            .seed(1L)
            .images(2)
            .model("tiny")
            .prior(new StageParams(3, null, null))
            .build();
    JobParams p = JobDefaults.resolve(raw, () -> 1L);
    assertEquals(new StageParams(3, 4.0, 2.0), p.prior());
    assertEquals(256, p.width());
    assertEquals(128, p.height());
  }
}
