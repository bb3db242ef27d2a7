package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * At a guidance scale of 1 or less the sampler runs the model on the conditional rows only (half
 * the rows of a guided step); at exactly 1 the result equals the two-pass (official gdf) result
 * within float32 rounding. The rescale's standard deviations stay on the device and agree with the
 * host reference.
 */
class GuidanceSkipTest {
  /** A deterministic stand-in network: output depends on x, r and the condition. */
  private static DiffusionModel model(List<Long> rowsSeen) {
    return (x, r, c) -> {
      rowsSeen.add(x.getShape().get(0));
      NDArray cond = c.get("cond");
      return x.mul(0.7f).add(cond.mul(0.3f)).add(r.reshape(-1, 1, 1, 1).mul(0.1f)).tanh();
    };
  }

  private static float[] sample(double cfg, List<Long> rowsSeen, Consumer<Shape> check) {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(3, 4, 6, 5);
      Map<String, NDArray> cond = new LinkedHashMap<>();
      Map<String, NDArray> uncond = new LinkedHashMap<>();
      cond.put("cond", new SeededNoise(new long[] {1, 2, 3}, "c").initial(m, shape));
      uncond.put("cond", m.zeros(shape));
      NoiseSource noise = new SeededNoise(new long[] {11, 12, 13}, "n");
      SamplingResult r =
          new GdfSampler(model(rowsSeen))
              .sample(
                  m,
                  cond,
                  uncond,
                  shape,
                  SamplerSettings.fromNoise(4, cfg, 1.0),
                  null,
                  noise,
                  SamplingObserver.NONE);
      check.accept(shape);
      return r.x0().toFloatArray();
    }
  }

  @Test
  void atGuidanceOneTheUnconditionalHalfIsSkippedWithTheSameResult() {
    List<Long> skipped = new ArrayList<>();
    float[] fast = sample(1.0, skipped, s -> {});
    assertEquals(List.of(3L, 3L, 3L, 3L), skipped, "B rows per step, not 2B");

    // the official two-pass computation at cfg = 1: lerp + rescale on [cond; uncond]
    List<Long> twoPass = new ArrayList<>();
    float[] official = sample(1.0 + 1e-12, twoPass, s -> {});
    assertEquals(List.of(6L, 6L, 6L, 6L), twoPass);
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < fast.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(fast[i] - official[i]));
      maxRef = Math.max(maxRef, Math.abs(official[i]));
    }
    assertTrue(maxDiff / maxRef < 1e-6, "rel " + maxDiff / maxRef);
  }

  @Test
  void belowOneAndAboveOne() {
    List<Long> below = new ArrayList<>();
    sample(0.0, below, s -> {});
    assertTrue(below.stream().allMatch(r -> r == 3L), below.toString());
    List<Long> above = new ArrayList<>();
    sample(1.1, above, s -> {});
    assertTrue(above.stream().allMatch(r -> r == 6L), above.toString());
  }

  @Test
  void theRescaleStdStaysOnTheDeviceAndMatchesTheHostReference() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int seed = 1; seed <= 20; seed++) {
        NDArray x =
            new SeededNoise(new long[] {seed}, "std").initial(m, new Shape(1, 16, 7 + seed, 9));
        x = x.mul(seed).add(seed * 0.1f);
        NDArray onDevice = Guidance.stdTensor(x);
        assertEquals(0, onDevice.getShape().dimension());
        float host = Guidance.std(x);
        float dev = onDevice.getFloat();
        assertTrue(Math.abs(host - dev) <= Math.ulp(host), host + " vs " + dev);
      }
    }
  }
}
