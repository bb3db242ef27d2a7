package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.net.lora.LoraFile;
import io.cascadefarm.cascade.net.lora.LoraMergedWeights;
import io.cascadefarm.cascade.net.lora.LoraPair;
import io.cascadefarm.cascade.net.lora.LoraTarget;
import io.cascadefarm.cascade.net.lora.LoraTargets;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.tools.parity.CallArgs;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code stage_c_lora} fixture: Stage C built from {@code config.base}, bound to the base
 * weights ({@code --weights} override or {@code base_weights}) with the fixture's own LoRA file
 * ({@code files.weights}) merged at strength 1 through {@link LoraMergedWeights}. The fixture's
 * {@code rank}, {@code alpha} and {@code scale} are checked against the file.
 */
public final class StageCLoraFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.stage_c.StageC".equals(fixture.network()) && fixture.json().has("lora_owners");
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  protected FixtureModel open(FixtureContext context) throws Exception {
    JsonNode config = context.fixture().config();
    if (!config.has("base")) {
      throw new FixtureFormatException(context.fixture().name() + ": config has no 'base'");
    }
    StageC net = new StageC(StageCConfig.fromJson(config.get("base")));
    Path loraPath = context.fixture().file("weights");
    if (loraPath == null) {
      throw new FixtureFormatException(context.fixture().name() + ": no files.weights (LoRA)");
    }
    LoraFile lora = LoraFile.read(loraPath);
    checkHyperParameters(lora, config, context.fixture().name());
    WeightSource base = context.weights();
    List<LoraTarget> targets = LoraTargets.resolve(lora, base.shapes(), filters(config));
    WeightBinder.bind(
        net,
        new LoraMergedWeights(base, List.of(new LoraMergedWeights.Applied(targets, 1f))),
        context.manager());
    return (call, args) -> List.of(forward(net, args));
  }

  private static NDArray forward(StageC net, CallArgs args) {
    Map<String, NDArray> tConds = new LinkedHashMap<>();
    for (String name : net.config().tConds()) {
      NDArray t = args.optTensor(name);
      if (t != null) {
        tConds.put(name, t);
      }
    }
    return net.forward(
        args.tensor("x"),
        args.tensor("r"),
        args.tensor("clip_text"),
        args.tensor("clip_text_pooled"),
        args.tensor("clip_img"),
        tConds,
        args.tensorList("cnet"));
  }

  private static List<String> filters(JsonNode config) {
    if (!config.has("module_filters")) {
      return LoraTargets.OFFICIAL_FILTERS;
    }
    List<String> out = new ArrayList<>();
    config.get("module_filters").forEach(f -> out.add(f.asText()));
    return out;
  }

  private static void checkHyperParameters(LoraFile lora, JsonNode config, String fixture) {
    for (LoraPair p : lora.pairs()) {
      if (config.has("rank") && config.get("rank").asInt() != p.rank()) {
        throw new FixtureFormatException(
            fixture
                + ": config rank "
                + config.get("rank").asInt()
                + " but '"
                + p.name()
                + "' has rank "
                + p.rank());
      }
      double alpha = config.path("alpha").asDouble(1.0);
      double scale = config.path("scale").asDouble(alpha / p.rank());
      if (Math.abs(scale - alpha / p.rank()) > 1e-9 || Math.abs(p.scale() - scale) > 1e-7) {
        throw new FixtureFormatException(
            fixture
                + ": scale "
                + scale
                + " (alpha "
                + alpha
                + ") does not match '"
                + p.name()
                + "' scale "
                + p.scale());
      }
    }
  }
}
