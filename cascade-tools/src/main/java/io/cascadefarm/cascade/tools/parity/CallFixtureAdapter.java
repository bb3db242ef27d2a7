package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.Trace;
import java.util.List;

/**
 * Base for fixtures with a {@code calls} list: {@link #open} builds the network from {@code config}
 * and binds {@link FixtureContext#weights()}; each call then runs in its own sub-manager and its
 * outputs are stored under the call's output keys.
 */
public abstract class CallFixtureAdapter implements FixtureAdapter {

  /** Builds and binds the network for this fixture. */
  protected abstract FixtureModel open(FixtureContext context) throws Exception;

  @Override
  public void run(FixtureContext context, FixtureOutputs outputs) throws Exception {
    try (FixtureModel model = open(context)) {
      boolean first = true;
      for (FixtureCall call : context.fixture().calls()) {
        boolean traced = first && context.traceRequested() && !call.isModelFree();
        first = false;
        try (NDManager sub = context.manager().newSubManager();
            Trace trace = traced ? Trace.start() : null) {
          List<NDArray> result = model.call(call, new CallArgs(call, context, outputs, sub));
          store(call, result, outputs);
          if (traced) {
            context.trace(trace);
          }
        }
      }
    }
  }

  private static void store(FixtureCall call, List<NDArray> result, FixtureOutputs outputs) {
    List<String> keys = call.outputs();
    if (result.size() != keys.size()) {
      throw new IllegalStateException(
          call.name() + ": produced " + result.size() + " outputs, fixture lists " + keys.size());
    }
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) != null) {
        if (result.get(i) == null) {
          throw new IllegalStateException(call.name() + ": output '" + keys.get(i) + "' is null");
        }
        outputs.put(keys.get(i), result.get(i));
      }
    }
  }
}
