package io.cascadefarm.cascade.tools.parity.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.net.stagea.StageAEncoding;
import io.cascadefarm.cascade.tools.parity.CallArgs;
import io.cascadefarm.cascade.tools.parity.CallFixtureAdapter;
import io.cascadefarm.cascade.tools.parity.Fixture;
import io.cascadefarm.cascade.tools.parity.FixtureCall;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.FixtureFormatException;
import io.cascadefarm.cascade.tools.parity.FixtureModel;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code modules.stage_a.StageA} fixtures: {@code encode}, {@code decode}, {@code forward}.
 */
public class StageAFixtureAdapter extends CallFixtureAdapter {

  @Override
  public boolean accepts(Fixture fixture) {
    return "modules.stage_a.StageA".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    StageA net = new StageA(StageAConfig.fromJson(context.fixture().config()));
    context.bind(net, false);
    return (call, args) -> run(net, call, args);
  }

  private static List<NDArray> run(StageA net, FixtureCall call, CallArgs args) {
    switch (call.method()) {
      case "encode":
        StageAEncoding e = net.encode(args.tensor("x"), quantize(args));
        return e.quantized() == null
            ? Arrays.asList(e.latent(), null, null, null)
            : Arrays.asList(e.quantized(), e.latent(), e.indices(), e.loss());
      case "decode":
        return Arrays.asList(net.decode(args.tensor("x")));
      case "forward":
        NDList out = net.forward(args.tensor("x"), quantize(args));
        return Arrays.asList(out.get(0), out.size() > 1 ? out.get(1) : null);
      default:
        throw new FixtureFormatException(
            call.name() + ": StageA has no method '" + call.method() + "'");
    }
  }

  private static boolean quantize(CallArgs args) {
    JsonNode v = args.value("quantize");
    return v != null && v.asBoolean();
  }
}
