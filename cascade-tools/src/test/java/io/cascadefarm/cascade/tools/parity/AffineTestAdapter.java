package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only adapter for the synthetic {@code test.Affine} network: {@code y = x * scale + shift}.
 */
public class AffineTestAdapter extends CallFixtureAdapter {

  static final class Affine extends Module {
    final Parameter scale;
    final Parameter shift;

    Affine(long n) {
      scale = param("scale", n);
      shift = param("shift", n);
    }
  }

  @Override
  public boolean accepts(Fixture fixture) {
    return "test.Affine".equals(fixture.network());
  }

  @Override
  protected FixtureModel open(FixtureContext context) {
    Affine net = new Affine(context.fixture().config().get("n").asLong());
    WeightBinder.bind(net, context.weights(), context.manager());
    return (call, args) -> {
      NDArray x = args.tensor("x");
      List<NDArray> out = new ArrayList<>();
      NDArray y = x.mul(net.scale.array()).add(net.shift.array());
      if (args.value("negate") != null && args.value("negate").asBoolean()) {
        y = y.neg();
      }
      out.add(y);
      out.add(null);
      if (call.outputs().size() > 2) {
        out.add(y.sum().toType(ai.djl.ndarray.types.DataType.INT64, false));
      }
      return out;
    };
  }
}
