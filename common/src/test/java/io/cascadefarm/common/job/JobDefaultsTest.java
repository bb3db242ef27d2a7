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
        new JobParams(
            JobKind.IMAGE_TO_IMAGE,
            "x",
            null,
            null,
            null,
            7L,
            null,
            "tiny",
            null,
            null,
            "uploads/a.png",
            null,
            null,
            null,
            null,
            null,
            null);
    JobParams p = JobDefaults.resolve(raw, () -> 1L);
    assertEquals(16, p.prior().steps());
    assertEquals(0.8, p.strength());
    assertEquals(7L, p.seed());
  }

  @Test
  void explicitValuesWin() {
    JobParams raw =
        new JobParams(
            JobKind.TEXT_TO_IMAGE,
            "x",
            null,
            256,
            128,
            1L,
            2,
            "tiny",
            new StageParams(3, null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    JobParams p = JobDefaults.resolve(raw, () -> 1L);
    assertEquals(new StageParams(3, 4.0, 2.0), p.prior());
    assertEquals(256, p.width());
    assertEquals(128, p.height());
  }
}
