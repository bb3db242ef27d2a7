package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stageb.StageBConfig;
import io.cascadefarm.cascade.tools.parity.CallArgs;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code modules.stage_b.StageB} fixtures ({@code forward} with pixels / t-conditions). */
public class StageBFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.stage_b.StageB".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    StageB net = new StageB(StageBConfig.fromJson(context.fixture().config()));
    context.bind(net, true);
    return (call, args) -> List.of(forward(net, args));
  }

  static NDArray forward(StageB net, CallArgs args) {
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
        args.tensor("effnet"),
        args.tensor("clip"),
        args.optTensor("pixels"),
        tConds);
  }
}
