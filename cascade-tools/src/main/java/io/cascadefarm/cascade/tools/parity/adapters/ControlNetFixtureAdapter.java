package io.cascadefarm.cascade.tools.parity.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.tools.parity.CallArgs;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;

/**
 * Runs {@code modules.controlnet.ControlNet} fixtures: {@code forward(x)} returns the projection
 * list with null entries (an optional {@code control_strength} value multiplies it).
 */
public class ControlNetFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.controlnet.ControlNet".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    ControlNet net = new ControlNet(ControlNetConfig.fromJson(context.fixture().config()));
    WeightBinder.bind(net, context.weights(), context.manager());
    return (call, args) -> {
      if (!"forward".equals(call.method())) {
        throw new FixtureFormatException(
            call.name() + ": ControlNet has no method '" + call.method() + "'");
      }
      return net.forward(args.tensor("x"), strength(args));
    };
  }

  private static float strength(CallArgs args) {
    JsonNode v = args.value("control_strength");
    return v == null ? 1f : (float) v.asDouble();
  }
}
