package io.cascadefarm.cascade.tools.parity.adapters;

import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.util.List;

/** Runs {@code modules.previewer.Previewer} fixtures ({@code forward(x)}). */
public class PreviewerFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.previewer.Previewer".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    Previewer net = new Previewer(PreviewerConfig.fromJson(context.fixture().config()));
    context.bind(net, false);
    return (call, args) -> {
      if (!"forward".equals(call.method())) {
        throw new FixtureFormatException(
            call.name() + ": Previewer has no method '" + call.method() + "'");
      }
      return List.of(net.forward(args.tensor("x")));
    };
  }
}
