package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.diffusion.Guidance;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.tools.parity.CallArgs;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureCall;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code modules.stage_c.StageC} fixtures (not the LoRA variant): {@code forward} calls with
 * t-condition and {@code cnet} keyword arguments, and the model-free {@code cfg_combine} check.
 */
public class StageCFixtureAdapter extends CallFixtureAdapter {
  private static final Pattern CHUNK = Pattern.compile("=\\s*([\\w.]+)\\.chunk\\(2\\)");
  private static final Pattern LERP = Pattern.compile("lerp\\([^,]+,[^,]+,\\s*([0-9.eE+-]+)\\)");
  private static final Pattern RHO = Pattern.compile("=\\s*([0-9.eE+-]+)\\s*\\*\\s*\\(pred_cfg");

  /** See {@link FixtureContext#PRECISION_PROPERTY} (fp16 / bf16 fixture runs). */
  public static final String PRECISION_PROPERTY = FixtureContext.PRECISION_PROPERTY;

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.stage_c.StageC".equals(fixture.network()) && !fixture.json().has("lora_owners");
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    StageC net = new StageC(StageCConfig.fromJson(context.fixture().config()));
    context.bind(net, true);
    return (call, args) -> call.isModelFree() ? combine(call, args) : List.of(forward(net, args));
  }

  static NDArray forward(StageC net, CallArgs args) {
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

  /** {@code cfg_combine}: lerp with the formula's cfg, then the formula's std-rescale. */
  static List<NDArray> combine(FixtureCall call, CallArgs args) {
    String formula = call.json().path("formula").asText("");
    Matcher source = CHUNK.matcher(formula);
    Matcher lerp = LERP.matcher(formula);
    Matcher rho = RHO.matcher(formula);
    if (!source.find() || !lerp.find() || !rho.find() || call.outputs().size() != 2) {
      throw new FixtureFormatException(
          call.name() + ": cannot read cfg/rho/source from formula: " + formula);
    }
    NDArray out = args.key(source.group(1));
    float cfg = Float.parseFloat(lerp.group(1));
    float r = Float.parseFloat(rho.group(1));
    var halves = out.split(2, 0);
    NDArray guided = Guidance.lerp(halves.get(1), halves.get(0), cfg);
    return new ArrayList<>(Arrays.asList(guided, Guidance.rescale(halves.get(0), guided, r)));
  }
}
