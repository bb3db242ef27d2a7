package io.cascadefarm.cascade.tools.parity.adapters;

import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;
import io.cascadefarm.cascade.net.effnet.EffnetEncoderConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.util.List;

/**
 * Runs {@code modules.effnet.EfficientNetEncoder} fixtures; the backbone is built from the
 * fixture's description ({@code inverted_residual_setting} or the official efficientnet_v2_s).
 */
public class EffnetFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.effnet.EfficientNetEncoder".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    EfficientNetEncoder net =
        new EfficientNetEncoder(EffnetEncoderConfig.fromJson(context.fixture().config()));
    WeightBinder.bind(net, context.weights(), context.manager());
    return (call, args) -> {
      if (!"forward".equals(call.method())) {
        throw new FixtureFormatException(
            call.name() + ": EfficientNetEncoder has no method '" + call.method() + "'");
      }
      return List.of(net.forward(args.tensor("x")));
    };
  }
}
