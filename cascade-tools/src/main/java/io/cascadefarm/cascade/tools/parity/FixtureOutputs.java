package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects a fixture run's outputs under the keys the fixture names, as Java copies (float32, or
 * int64 for integer results; 0-dim scalars keep shape []), so managers can be closed right away.
 */
public final class FixtureOutputs {
  private record Value(long[] shape, float[] floats, long[] longs) {}

  private final Map<String, Value> values = new LinkedHashMap<>();

  /** Stores a copy of {@code array} under {@code key}. */
  public void put(String key, NDArray array) {
    long[] shape = array.getShape().getShape();
    if (array.getDataType().isInteger() || array.getDataType() == DataType.BOOLEAN) {
      values.put(key, new Value(shape, null, array.toType(DataType.INT64, false).toLongArray()));
    } else {
      values.put(key, new Value(shape, array.toType(DataType.FLOAT32, false).toFloatArray(), null));
    }
  }

  public boolean contains(String key) {
    return values.containsKey(key);
  }

  public java.util.Set<String> keys() {
    return values.keySet();
  }

  /** Re-materialises a stored output (e.g. {@code cfg.out} for a later model-free call). */
  public NDArray get(String key, NDManager manager) {
    Value v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no output '" + key + "' produced yet");
    }
    return v.floats != null
        ? manager.create(v.floats, new Shape(v.shape))
        : manager.create(v.longs, new Shape(v.shape));
  }

  /** Writes every output to a safetensors file. */
  public void write(Path file) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    values.forEach(
        (k, v) -> {
          if (v.floats != null) {
            w.addF32(k, v.shape, v.floats);
          } else {
            w.addI64(k, v.shape, v.longs);
          }
        });
    w.write(file);
  }
}
