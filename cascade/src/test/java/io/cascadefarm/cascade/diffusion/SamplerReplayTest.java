package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Drives the sampler with a model that replays the fixture's recorded network outputs, so the loop,
 * CFG, x0 and DDPM maths are checked without any network code.
 */
class SamplerReplayTest {
  private static final double TOL = 1e-5;

  @Test
  void samplerCReplay() throws Exception {
    replay(
        "sampler_c",
        SamplerSettings.fromNoise(4, 4, 2),
        "sampled_c",
        List.of("clip_text", "clip_text_pooled", "clip_img"));
  }

  @Test
  void samplerBReplay() throws Exception {
    replay(
        "sampler_b", SamplerSettings.fromNoise(3, 1.1, 1), "sampled_b", List.of("effnet", "clip"));
  }

  @Test
  void cancellationStopsBeforeTheNextStep() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        FixtureTensors io = new FixtureTensors("sampler_b")) {
      int[] calls = {0};
      DiffusionModel model =
          (x, r, c) -> {
            calls[0]++;
            return x.zerosLike();
          };
      SamplingObserver cancelAfterOne =
          new SamplingObserver() {
            int seen;

            @Override
            public boolean isCancelled() {
              return seen >= 1;
            }

            @Override
            public void onStep(SamplerStep step) {
              seen++;
            }
          };
      Map<String, NDArray> cond = Map.of("clip", io.load(m, "cond.clip"));
      Map<String, NDArray> uncond = Map.of("clip", io.load(m, "uncond.clip"));
      Shape shape = new Shape(2, 4, 8, 8);
      assertThrows(
          CancellationException.class,
          () ->
              new GdfSampler(model)
                  .sample(
                      m,
                      cond,
                      uncond,
                      shape,
                      SamplerSettings.fromNoise(5, 1.1, 1),
                      null,
                      new SeededNoise(new long[] {1, 2}, "t"),
                      cancelAfterOne));
      assertEquals(1, calls[0]);
    }
  }

  private void replay(
      String fixture, SamplerSettings settings, String resultKey, List<String> condKeys)
      throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        FixtureTensors io = new FixtureTensors(fixture)) {
      Map<String, NDArray> cond = new LinkedHashMap<>();
      Map<String, NDArray> uncond = new LinkedHashMap<>();
      for (String k : condKeys) {
        cond.put(k, io.load(m, "cond." + k));
        uncond.put(k, io.load(m, "uncond." + k));
      }
      List<NDArray> noise = new ArrayList<>();
      for (int i = 0; i < settings.steps(); i++) {
        noise.add(io.load(m, "step" + i + ".noise"));
      }
      NDArray xInit = io.load(m, "x_init");
      int[] step = {0};
      DiffusionModel model =
          (x, r, c) -> {
            String p = "step" + step[0] + ".";
            assertClose(p + "model_in_x", x.toFloatArray(), io.floats(p + "model_in_x"));
            assertClose(p + "model_in_r", r.toFloatArray(), io.floats(p + "model_in_r"));
            assertEquals(condKeys, List.copyOf(c.keySet()));
            assertEquals(2 * xInit.getShape().get(0), c.get(condKeys.get(0)).getShape().get(0));
            step[0]++;
            return io.load(x.getManager(), p + "model_out");
          };
      List<String> seen = new ArrayList<>();
      SamplingObserver observer =
          new SamplingObserver() {
            @Override
            public void onStep(SamplerStep s) {
              String p = "step" + s.step() + ".";
              assertClose(p + "pred", s.pred().toFloatArray(), io.floats(p + "pred"));
              assertClose(p + "x0", s.x0().toFloatArray(), io.floats(p + "x0"));
              assertClose(p + "x", s.x().toFloatArray(), io.floats(p + "x"));
              seen.add(p);
            }
          };
      SamplingResult result =
          new GdfSampler(model)
              .sample(
                  m,
                  cond,
                  uncond,
                  xInit.getShape(),
                  settings,
                  xInit,
                  new RecordedNoise(null, noise),
                  observer);
      assertEquals(settings.steps(), seen.size());
      assertClose(resultKey, result.x0().toFloatArray(), io.floats(resultKey));
      assertClose("final_x", result.x().toFloatArray(), io.floats("final_x"));
    }
  }

  private static void assertClose(String key, float[] actual, float[] expected) {
    double err = FixtureTensors.relErr(actual, expected);
    assertTrue(err < TOL, key + " rel err " + err);
  }
}
