package io.cascadefarm.cascade.net.stagec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.WeightSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Random weights for tiny-network tests. */
public final class StageCTinyTestSupport {
  private StageCTinyTestSupport() {}

  /** Random N(0, 0.05) weights for every declared key. */
  public static WeightSource random(io.cascadefarm.cascade.nn.Module module) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    module.namedParameters().forEach((k, p) -> shapes.put(k, p.shape()));
    return new WeightSource() {
      @Override
      public Map<String, long[]> shapes() {
        return shapes;
      }

      @Override
      public NDArray load(String key, NDManager manager) {
        return manager.randomNormal(
            0f, 0.05f, new Shape(shapes.get(key)), ai.djl.ndarray.types.DataType.FLOAT32);
      }
    };
  }
}
