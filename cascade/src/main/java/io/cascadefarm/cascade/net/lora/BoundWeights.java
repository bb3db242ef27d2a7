package io.cascadefarm.cascade.net.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.WeightSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights already bound to a module, offered as a {@link WeightSource} <b>without copying</b>:
 * {@link #load} returns the module's own arrays (the manager argument is ignored). Binding a second
 * module from it shares every tensor with the first, which must therefore stay open.
 */
public final class BoundWeights implements WeightSource {
  private final Map<String, Parameter> params;

  public BoundWeights(Module bound) {
    this.params = bound.namedParameters();
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    params.forEach((k, p) -> out.put(k, p.shape()));
    return out;
  }

  /**
   * The module's own array, or, for a weight held in reduced precision by TorchScript kernels, a
   * float32 copy attached to {@code manager} (see {@link #isCopy}).
   */
  @Override
  public NDArray load(String key, NDManager manager) {
    Parameter p = param(key);
    if (p.isScripted()) {
      return p.scripted().kernels().weight(p.scripted().slot(), manager);
    }
    return p.array();
  }

  /** Whether {@link #load} returns a copy (which the caller then owns) rather than the original. */
  public boolean isCopy(String key) {
    return param(key).isScripted();
  }

  /** Shares the bound value (array or kernel slot) with {@code target}. */
  @Override
  public boolean bindShared(String key, Parameter target) {
    target.shareFrom(param(key));
    return true;
  }

  private Parameter param(String key) {
    Parameter p = params.get(key);
    if (p == null) {
      throw new IllegalArgumentException("no bound weight '" + key + "'");
    }
    return p;
  }
}
