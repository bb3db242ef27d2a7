package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.WeightSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bound network's weights for a training copy: float32 arrays are shared (never copied, never
 * marked as requiring gradients), weights held in reduced precision (fp16 arrays or TorchScript
 * kernel slots, which run in inference mode) are loaded as float32 copies into the caller's
 * manager. Training always computes in float32.
 */
final class Fp32Weights implements WeightSource {
  private final Map<String, Parameter> params;

  Fp32Weights(Module bound) {
    this.params = bound.namedParameters();
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    params.forEach((k, p) -> out.put(k, p.shape()));
    return out;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    Parameter p = params.get(key);
    if (p.isScripted()) {
      return p.scripted().kernels().weight(p.scripted().slot(), manager);
    }
    NDArray a = p.array();
    if (a.getDataType() == DataType.FLOAT32) {
      return a;
    }
    NDArray f = a.toType(DataType.FLOAT32, true);
    f.attach(manager);
    return f;
  }
}
