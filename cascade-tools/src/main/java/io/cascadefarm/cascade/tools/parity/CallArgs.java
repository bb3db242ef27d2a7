package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Argument access for one call: tensors are loaded lazily from the io file (or from outputs already
 * produced in this run, e.g. {@code cfg.out}) into the per-call manager.
 */
public final class CallArgs {
  private final FixtureCall call;
  private final FixtureContext context;
  private final FixtureOutputs produced;
  private final NDManager manager;

  CallArgs(FixtureCall call, FixtureContext context, FixtureOutputs produced, NDManager manager) {
    this.call = call;
    this.context = context;
    this.produced = produced;
    this.manager = manager;
  }

  /** Per-call manager (closed after the call's outputs were copied). */
  public NDManager manager() {
    return manager;
  }

  public FixtureCall call() {
    return call;
  }

  public boolean has(String param) {
    return call.arg(param) != null;
  }

  /** Tensor argument by official parameter name; error if absent. */
  public NDArray tensor(String param) {
    NDArray t = optTensor(param);
    if (t == null) {
      throw new FixtureFormatException(call.name() + ": missing tensor argument '" + param + "'");
    }
    return t;
  }

  /** Tensor argument or null when the call does not pass it. */
  public NDArray optTensor(String param) {
    CallArg a = call.arg(param);
    if (a == null) {
      return null;
    }
    if (a.tensor() == null) {
      throw new FixtureFormatException(call.name() + ": argument '" + param + "' is not a tensor");
    }
    return key(a.tensor());
  }

  /** Tensor-list argument (null entries kept), or null when absent. */
  public List<NDArray> tensorList(String param) {
    CallArg a = call.arg(param);
    if (a == null) {
      return null;
    }
    if (a.tensorList() == null) {
      throw new FixtureFormatException(
          call.name() + ": argument '" + param + "' is not a tensor_list");
    }
    List<NDArray> out = new ArrayList<>();
    for (String k : a.tensorList()) {
      out.add(k == null ? null : key(k));
    }
    return out;
  }

  /** Literal argument, or null when absent. */
  public JsonNode value(String param) {
    CallArg a = call.arg(param);
    return a == null ? null : a.value();
  }

  /** Any tensor by key: an output produced earlier in this run, else the io file. */
  public NDArray key(String key) {
    return produced.contains(key) ? produced.get(key, manager) : context.io(key, manager);
  }
}
