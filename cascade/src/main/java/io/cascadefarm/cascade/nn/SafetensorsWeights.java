package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link WeightSource} backed by a safetensors file, streamed tensor by tensor. */
public final class SafetensorsWeights implements WeightSource {
  private final SafetensorsReader reader;

  public SafetensorsWeights(SafetensorsReader reader) {
    this.reader = reader;
  }

  /** Opens a file (close the source to release it). */
  public static SafetensorsWeights open(Path path) throws IOException {
    return new SafetensorsWeights(SafetensorsReader.open(path));
  }

  public SafetensorsReader reader() {
    return reader;
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (TensorInfo info : reader.tensors().values()) {
      out.put(info.name(), info.shape());
    }
    return out;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    return reader.load(manager, key);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
