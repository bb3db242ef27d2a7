package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.WeightSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic random weights for every declared key of a module: norm weights ~ 1 + N(0, 0.1),
 * other 1-D tensors ~ N(0, 0.05), matrices ~ N(0, 1/sqrt(fan_in)), embeddings ~ N(0, 0.5). Each key
 * has its own seed, so values do not depend on declaration order.
 */
public final class RandomWeights implements WeightSource {
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final long seed;

  public RandomWeights(Module module, long seed) {
    module.namedParameters().forEach((k, p) -> shapes.put(k, p.shape()));
    this.seed = seed;
  }

  /** Values of one key as floats. */
  public float[] values(String key) {
    long[] shape = shapes.get(key);
    Random r = new Random(seed * 31 + key.hashCode());
    float[] v = new float[Math.toIntExact(TensorInfo.numel(shape))];
    boolean norm = key.contains("norm") && key.endsWith("weight");
    boolean embedding = key.contains("embedding");
    double std = shape.length == 1 ? 0.05 : embedding ? 0.5 : 1.0 / Math.sqrt(fanIn(shape));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((norm ? 1.0 : 0.0) + (norm ? 0.1 : std) * r.nextGaussian());
    }
    return v;
  }

  private static long fanIn(long[] shape) {
    long f = 1;
    for (int i = 1; i < shape.length; i++) {
      f *= shape[i];
    }
    return f;
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    return manager.create(values(key), new Shape(shapes.get(key)));
  }

  /** Floats of a bound parameter. */
  static float[] floats(Parameter p) {
    return p.array().toFloatArray();
  }
}
