package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sampling controls against the official gdf loop ({@code tools/pipeline-gen}): DDIM, custom time
 * grids (diffusers {@code timesteps}), {@code cfg_rho} off and at 0.35, several CLIP image
 * embeddings concatenated on dim 1, and a Stage B unconditional branch from a negative prompt.
 * Noise is injected; every step's x0 and x and the result (with its preview or Stage A image)
 * within 1e-3 (max|port - ref| / max|ref|, the samplers' tolerance in shared/parity/NOTES.md).
 */
class PipelineControlsParityTest {
  static final double TOLERANCE = 1e-3;

  @Test
  void ddimSteps() throws Exception {
    assertFixture("ddim_c");
  }

  @Test
  void customTimestepsStageC() throws Exception {
    assertFixture("timesteps_c");
  }

  @Test
  void customTimestepsWithDdimStageB() throws Exception {
    assertFixture("timesteps_b");
  }

  @Test
  void cfgRescaleOff() throws Exception {
    assertFixture("rho_off_c");
  }

  @Test
  void cfgRescaleOtherRho() throws Exception {
    assertFixture("rho_c");
  }

  @Test
  void severalImageEmbeddings() throws Exception {
    assertFixture("images_c");
  }

  @Test
  void decoderNegativePrompt() throws Exception {
    assertFixture("negative_b");
  }

  /** The settings a fixture's {@code sampling} block describes. */
  static SamplerSettings settings(JsonNode s) {
    StageSettings stage;
    if (s.hasNonNull("grid")) {
      List<Float> grid = new ArrayList<>();
      s.get("grid").forEach(v -> grid.add((float) v.asDouble()));
      stage =
          new StageSettings(
              grid.size() - 1, s.path("cfg").asDouble(), s.path("shift").asDouble(), grid);
    } else {
      stage =
          new StageSettings(
              s.path("steps").asInt(), s.path("cfg").asDouble(), s.path("shift").asDouble());
    }
    return new SamplerSettings(
        stage,
        1f,
        SamplerType.parse(s.path("sampler").asText()).eta(),
        s.path("cfg_rho").asDouble(SamplerSettings.CFG_RHO));
  }

  private static void assertFixture(String name) throws Exception {
    JsonNode json = PipelineFixtures.json(name);
    String role = json.path("role").asText();
    SamplerSettings settings = settings(json.path("sampling"));
    try (NDManager m = NDManager.newBaseManager();
        PipelineFixtures f = new PipelineFixtures(m)) {
      SafetensorsReader io = f.io(name + ".safetensors");
      Map<String, NDArray>[] c = PipelineFixtures.conditions(io, "", m);
      NDArray xInit = io.load(m, "x_init");
      List<String> lines = new ArrayList<>();
      boolean[] ok = {true};
      SamplingObserver check =
          new SamplingObserver() {
            @Override
            public void onStep(SamplerStep s) {
              compare(io, "step" + s.step() + ".x0", s.x0(), lines, ok);
              compare(io, "step" + s.step() + ".x", s.x(), lines, ok);
            }
          };
      SamplingResult r =
          new GdfSampler(f.model(role))
              .sample(
                  m,
                  c[0],
                  c[1],
                  xInit.getShape(),
                  settings,
                  xInit,
                  new RecordedNoise(null, PipelineFixtures.stepNoise(io, "", settings.steps(), m)),
                  check);
      assertEquals(json.path("sampling").path("steps").asInt(), settings.steps(), "steps run");
      compare(io, "sampled", r.x0(), lines, ok);
      if (role.equals("stage_c")) {
        compare(io, "preview", f.preview(r.x0()), lines, ok);
      } else {
        compare(io, "image", f.decodeA(r.x0()), lines, ok);
      }
      lines.forEach(System.out::println);
      assertTrue(ok[0], name + ":\n" + String.join("\n", lines));
    }
  }

  static void compare(
      SafetensorsReader io, String key, NDArray got, List<String> lines, boolean[] ok) {
    double err = ParityComparator.relError(io.readFloats(key), got.toFloatArray());
    boolean pass = err <= TOLERANCE;
    ok[0] &= pass;
    lines.add(String.format("%-16s %s rel=%.3e", key, pass ? "ok  " : "FAIL", err));
  }
}
