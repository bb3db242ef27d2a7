package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.diffusion.CascadeDiffusionModels;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureOutputs;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The networks a sampler fixture names in its {@code models} role map, each built from its sibling
 * fixture's config and bound to that fixture's weights.
 */
public final class SamplerFixtureModels {
  private SamplerFixtureModels() {}

  /** {@code stage_c} or {@code stage_b}, whichever the fixture samples, else null. */
  static String diffusionRole(Fixture fixture) {
    if (fixture.models().containsKey("stage_c")) {
      return "stage_c";
    }
    return fixture.models().containsKey("stage_b") ? "stage_b" : null;
  }

  private static final Pattern CONFIG_IN = Pattern.compile("\\(config in ([^()\\s]+)\\.json\\)");

  /**
   * The sibling fixture holding the config and weights of {@code role}: the {@code X} of "(config
   * in X.json)" in the role's {@code models} entry (e.g. {@code g7_sampler_c_stage_c}), else the
   * role name itself (the dev set's {@code stage_c}, {@code previewer}, ...).
   */
  static String fixtureFor(Fixture fixture, String role) {
    String text = fixture.models().get(role);
    if (text != null) {
      Matcher m = CONFIG_IN.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
    }
    return role;
  }

  /** A context for the sibling fixture of {@code role}. */
  static FixtureContext sibling(FixtureContext context, String role) {
    return context.sibling(fixtureFor(context.fixture(), role));
  }

  public static DiffusionModel diffusionModel(String role, FixtureContext net) {
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
      FixtureContext net = sibling(context, "stage_a");
      StageA stageA = new StageA(StageAConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(stageA, net.weights(), net.manager());
      out.put("image", stageA.decode(x0));
    }
    if (fixture.models().containsKey("previewer")) {
      FixtureContext net = sibling(context, "previewer");
      Previewer previewer = new Previewer(PreviewerConfig.fromJson(net.fixture().config()));
      WeightBinder.bind(previewer, net.weights(), net.manager());
      out.put("preview", previewer.forward(x0));
    }
  }
}
