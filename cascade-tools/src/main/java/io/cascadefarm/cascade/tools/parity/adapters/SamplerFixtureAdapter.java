package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.diffusion.GdfSampler;
import io.cascadefarm.cascade.diffusion.RecordedNoise;
import io.cascadefarm.cascade.diffusion.SamplerSettings;
import io.cascadefarm.cascade.diffusion.SamplerStep;
import io.cascadefarm.cascade.diffusion.SamplingObserver;
import io.cascadefarm.cascade.diffusion.SamplingResult;
import io.cascadefarm.cascade.diffusion.SamplingSchedule;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureAdapter;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureOutputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the gdf sampler fixtures ({@code sampler_c}, {@code sampler_b}): builds the diffusion model
 * named in {@code models} from its sibling fixture (config + weights), injects {@code x_init} and
 * every {@code stepK.noise}, and writes every non-input key: the schedule ranges, each step's model
 * input/output, guided prediction, x0 and x, the sampled x0, the final x, and the decoded result
 * ({@code preview} via the Previewer, {@code image} via Stage A).
 */
public final class SamplerFixtureAdapter implements FixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return fixture.isSampler() && SamplerFixtureModels.diffusionRole(fixture) != null;
  }

  @Override
  public void run(FixtureContext context, FixtureOutputs outputs) throws Exception {
    Fixture fixture = context.fixture();
    String role = SamplerFixtureModels.diffusionRole(fixture);
    NDManager manager = context.manager();
    DiffusionModel model =
        SamplerFixtureModels.diffusionModel(role, SamplerFixtureModels.sibling(context, role));
    SamplerSettings settings = settings(fixture.json().path("sampling"));
    Map<String, NDArray> cond = new LinkedHashMap<>();
    Map<String, NDArray> uncond = new LinkedHashMap<>();
    fixture
        .ioTensors()
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.startsWith("cond.")) {
                String name = k.substring("cond.".length());
                cond.put(name, context.io(k, manager));
                uncond.put(name, context.io("uncond." + name, manager));
              }
            });
    NDArray xInit = context.io("x_init", manager);
    List<NDArray> noise = new ArrayList<>();
    for (int i = 0; i < settings.steps(); i++) {
      noise.add(context.io("step" + i + ".noise", manager));
    }
    putSchedule(outputs, manager, SamplingSchedule.of(settings));
    SamplingObserver recorder =
        new SamplingObserver() {
          @Override
          public void onStep(SamplerStep s) {
            String p = "step" + s.step() + ".";
            outputs.put(p + "model_in_x", s.modelInX());
            outputs.put(p + "model_in_r", s.modelInR());
            outputs.put(p + "model_out", s.modelOut());
            outputs.put(p + "pred", s.pred());
            outputs.put(p + "x0", s.x0());
            outputs.put(p + "x", s.x());
          }
        };
    SamplingResult result =
        new GdfSampler(model)
            .sample(
                manager,
                cond,
                uncond,
                xInit.getShape(),
                settings,
                xInit,
                new RecordedNoise(null, noise),
                recorder);
    String sampledKey = role.equals("stage_c") ? "sampled_c" : "sampled_b";
    outputs.put(sampledKey, result.x0());
    outputs.put("final_x", result.x());
    SamplerFixtureModels.decode(fixture, context, result.x0(), outputs);
  }

  static SamplerSettings settings(JsonNode sampling) {
    // the port samples like the official pipelines: t_end 0, gdf's default cfg_rho, DDPM eta 1
    requireDefault(sampling, "t_end", 0.0);
    requireDefault(sampling, "cfg_rho", SamplerSettings.CFG_RHO);
    requireDefault(sampling, "eta", 1.0);
    for (String unset : new String[] {"cfg_t_stop", "cfg_t_start"}) {
      if (sampling.hasNonNull(unset)) {
        throw new FixtureFormatException("sampler fixture sets " + unset + "; not supported");
      }
    }
    return new SamplerSettings(
        sampling.path("timesteps").asInt(),
        sampling.path("cfg").asDouble(),
        sampling.path("shift").asDouble(1.0),
        (float) sampling.path("t_start").asDouble(1.0));
  }

  private static void requireDefault(JsonNode sampling, String field, double expected) {
    if (sampling.hasNonNull(field) && sampling.get(field).asDouble() != expected) {
      throw new FixtureFormatException(
          "sampler fixture has "
              + field
              + "="
              + sampling.get(field)
              + "; the port supports "
              + expected
              + " only");
    }
  }

  private static void putSchedule(FixtureOutputs outputs, NDManager m, SamplingSchedule s) {
    int n = s.points().size();
    float[] t = new float[n];
    float[] logSnr = new float[n];
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = s.point(i).t();
      logSnr[i] = s.point(i).logSnr();
      r[i] = s.point(i).r();
    }
    outputs.put("t_range", m.create(t));
    outputs.put("logSNR_range", m.create(logSnr));
    outputs.put("noise_cond_range", m.create(r));
  }
}
