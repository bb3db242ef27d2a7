package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.parity.Fixture;
import io.cascadefarm.cascade.parity.FixtureContext;
import io.cascadefarm.cascade.parity.FixtureFormatException;
import io.cascadefarm.cascade.parity.FixtureOutputs;

/**
 * The networks a sampler fixture names in its {@code models} role map, each built from its sibling
 * fixture's config and bound to that fixture's weights.
 */
final class SamplerFixtureModels {
  private SamplerFixtureModels() {}

  /** {@code stage_c} or {@code stage_b}, whichever the fixture samples, else null. */
  static String diffusionRole(Fixture fixture) {
    if (fixture.models().containsKey("stage_c")) {
      return "stage_c";
    }
    return fixture.models().containsKey("stage_b") ? "stage_b" : null;
  }

  static DiffusionModel diffusionModel(String role, FixtureContext net) {
    if (role.equals("stage_c")) {
      StageC stageC = new StageC(StageCConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(stageC, net.weights(), net.manager());
      return CascadeDiffusionModels.stageC(stageC);
    }
    if (role.equals("stage_b")) {
      StageB stageB = new StageB(StageBConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(stageB, net.weights(), net.manager());
      return CascadeDiffusionModels.stageB(stageB);
    }
    throw new FixtureFormatException("no diffusion model implementation for role " + role);
  }

  /** Writes {@code image} (Stage A decode) or {@code preview} (Previewer) of the sampled x0. */
  static void decode(Fixture fixture, FixtureContext context, NDArray x0, FixtureOutputs out) {
    if (fixture.models().containsKey("stage_a")) {
      FixtureContext net = context.sibling("stage_a");
      StageA stageA = new StageA(StageAConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(stageA, net.weights(), net.manager());
      out.put("image", stageA.decode(x0));
    }
    if (fixture.models().containsKey("previewer")) {
      FixtureContext net = context.sibling("previewer");
      Previewer previewer = new Previewer(PreviewerConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(previewer, net.weights(), net.manager());
      out.put("preview", previewer.forward(x0));
    }
  }
}
