package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random weights generated natively in memory for benchmarking (no file, no Java float arrays):
 * rank >= 2 tensors N(0, clamp(1/sqrt(fan_in), 0.02, 0.2)), 1-D {@code weight} 1+N(0,0.1) ... as
 * {@link io.cascadefarm.cascade.model.RandomWeights}, but not reproducible across runs (speed
 * only).
 */
public final class RandomWeightSource implements io.cascadefarm.cascade.nn.WeightSource {
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  public RandomWeightSource(Module module) {
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      shapes.put(e.getKey(), e.getValue().shape());
    }
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    long[] shape = shapes.get(key);
    if (shape == null) {
      throw new IllegalArgumentException("no such key: " + key);
    }
    Shape s = new Shape(shape);
    if (key.endsWith("running_var")) {
      return manager.ones(s);
    }
    if (shape.length <= 1) {
      return key.endsWith("weight")
          ? manager.randomNormal(1f, 0.1f, s, ai.djl.ndarray.types.DataType.FLOAT32)
          : manager.randomNormal(0f, 0.05f, s, ai.djl.ndarray.types.DataType.FLOAT32);
    }
    long fanIn = s.size() / shape[0];
    float std = (float) Math.min(0.2, Math.max(0.02, 1 / Math.sqrt(fanIn)));
    return manager.randomNormal(0f, std, s, ai.djl.ndarray.types.DataType.FLOAT32);
  }
}
